package io.jtune.kernel.server;

import io.jtune.kernel.log.Log;
import io.jtune.kernel.comm.CommRegistry;
import io.jtune.kernel.eval.History;
import io.jtune.kernel.eval.JShellEvaluator;
import io.jtune.kernel.protocol.Channel;
import io.jtune.kernel.protocol.ConnectionInfo;
import io.jtune.kernel.protocol.Json;
import io.jtune.kernel.protocol.Message;
import io.jtune.kernel.protocol.SocketLoop;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Jupyter kernel over the wire protocol 5.4. Threads:
 * <ul>
 *   <li>the socket loop (the caller of {@link #run()}) owns every socket;</li>
 *   <li>{@code jtune-shell} handles shell requests in order, blocking while a cell runs;</li>
 *   <li>{@code jtune-control} handles control requests (interrupt, shutdown) at once;</li>
 *   <li>the evaluator's own threads run JShell and user code; neither handler thread does.</li>
 * </ul>
 */
public final class JupyterKernel {
    /** A shell message and its arrival number, for aborting what was queued behind a failed cell. */
    record Arrival(long seq, Message message) {}

    private static final Message STOP = Message.create("", "jtune_stop", null, Json.object());

    private final String session = UUID.randomUUID().toString();
    private final SocketLoop sockets;
    private final Publisher publisher;
    private final JShellEvaluator evaluator;
    private final BlockingQueue<Arrival> shellQueue = new LinkedBlockingQueue<>();
    private final BlockingQueue<Message> controlQueue = new LinkedBlockingQueue<>();
    private final BlockingQueue<Message> inputReplies = new LinkedBlockingQueue<>();
    private final AtomicLong arrivals = new AtomicLong();
    private final ShellHandlers shell;
    private final ControlHandlers control;
    private volatile boolean restartRequested;

    public JupyterKernel(ConnectionInfo info, JShellEvaluator evaluator, History history) {
        this.sockets = new SocketLoop(info, session);
        this.publisher = new Publisher(sockets, session);
        this.evaluator = evaluator;
        this.shell = new ShellHandlers(this, publisher, evaluator, history, inputReplies);
        this.control = new ControlHandlers(this, publisher, evaluator);
        CommRegistry.setSender(new KernelCommSender(publisher, shell::currentRequest));
    }

    /** Serves until a shutdown request; returns whether the client asked for a restart. */
    public boolean run() {
        Thread shellThread = worker("jtune-shell", () -> {
            Arrival a;
            while ((a = shellQueue.take()).message() != STOP) {
                try {
                    shell.handle(a);
                } catch (OutOfMemoryError e) {
                    Log.warn("out of memory handling " + a.message().type() + ": " + e);
                }
            }
        });
        Thread controlThread = worker("jtune-control", () -> {
            Message m;
            while ((m = controlQueue.take()) != STOP) {
                try {
                    control.handle(m);
                } catch (OutOfMemoryError e) {
                    Log.warn("out of memory handling " + m.type() + ": " + e);
                }
            }
        });
        shellThread.start();
        controlThread.start();
        sockets.run(this::receive);
        return restartRequested;
    }

    private void receive(Channel channel, Message m) {
        switch (channel) {
            case SHELL -> shellQueue.add(new Arrival(arrivals.incrementAndGet(), m));
            case CONTROL -> controlQueue.add(m);
            case STDIN -> {
                if (m.type().equals("input_reply")) {
                    inputReplies.add(m);
                } else {
                    Log.warn("ignoring " + m.type() + " on stdin");
                }
            }
            case IOPUB -> Log.warn("ignoring " + m.type() + " on iopub");
        }
    }

    /** Number of the last shell message received so far (for stop_on_error). */
    long lastArrival() {
        return arrivals.get();
    }

    /** Stops serving after the replies already queued have been sent. */
    void shutdown(boolean restart) {
        restartRequested = restart;
        shellQueue.add(new Arrival(Long.MAX_VALUE, STOP));
        controlQueue.add(STOP);
        evaluator.interrupt();
        sockets.stop(2000);
    }

    private static Thread worker(String name, InterruptibleLoop body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    @FunctionalInterface
    private interface InterruptibleLoop {
        void run() throws InterruptedException;
    }

    String session() {
        return session;
    }
}
