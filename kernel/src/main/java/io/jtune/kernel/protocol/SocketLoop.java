package io.jtune.kernel.protocol;

import io.jtune.kernel.log.Log;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Owns the shell, control, stdin and iopub sockets and is the only thread that touches them
 * (ZeroMQ sockets are not thread-safe). It blocks in one poller; other threads hand it outgoing
 * messages through a queue and wake it over an inproc pair, so a request is picked up and a
 * reply sent at once, with no polling interval.
 *
 * <p>Incoming frames are decoded and verified here; a message with a bad signature, a truncated
 * message or invalid JSON is logged and dropped and the loop goes on.
 */
public final class SocketLoop implements AutoCloseable {

    /** Receives verified incoming messages on the loop thread; must not block. */
    @FunctionalInterface
    public interface Inbound {
        void receive(Channel channel, Message message);
    }

    private record Outgoing(Channel channel, Message message) {}

    private final ZContext context = new ZContext();
    private final WireCodec codec;
    private final String session;
    private final ZMQ.Socket shell;
    private final ZMQ.Socket control;
    private final ZMQ.Socket stdin;
    private final ZMQ.Socket iopub;
    private final ZMQ.Socket wakeSender;
    private final ZMQ.Socket wakeReceiver;
    private final Heartbeat heartbeat;
    private final ConcurrentLinkedQueue<Outgoing> outgoing = new ConcurrentLinkedQueue<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile int dropped;

    public SocketLoop(ConnectionInfo info, String session) {
        this.codec = new WireCodec(new Signer(info.key()));
        this.session = session;
        shell = bind(SocketType.ROUTER, info.address(info.shellPort()));
        control = bind(SocketType.ROUTER, info.address(info.controlPort()));
        stdin = bind(SocketType.ROUTER, info.address(info.stdinPort()));
        iopub = context.createSocket(SocketType.XPUB);
        iopub.setXpubVerbose(true);
        iopub.setLinger(2000);
        iopub.bind(info.address(info.iopubPort()));
        String inproc = "inproc://jtune-wake-" + System.identityHashCode(this);
        wakeReceiver = context.createSocket(SocketType.PAIR);
        wakeReceiver.bind(inproc);
        wakeSender = context.createSocket(SocketType.PAIR);
        wakeSender.connect(inproc);
        heartbeat = new Heartbeat(context, info.address(info.hbPort()));
    }

    private ZMQ.Socket bind(SocketType type, String address) {
        ZMQ.Socket s = context.createSocket(type);
        s.setLinger(1000);
        s.bind(address);
        return s;
    }

    /** Queues a message; thread-safe. Iopub messages get a topic frame instead of identities. */
    public void send(Channel channel, Message message) {
        outgoing.add(new Outgoing(channel, message));
        synchronized (wakeSender) {
            if (!stopping || stopped.getCount() > 0) {
                wakeSender.send(new byte[] {1}, ZMQ.DONTWAIT);
            }
        }
    }

    /** How many incoming messages were dropped as malformed or unsigned (for tests and logs). */
    public int droppedCount() {
        return dropped;
    }

    /** Runs the loop on the calling thread until {@link #stop()}. */
    public void run(Inbound inbound) {
        heartbeat.start();
        ZMQ.Poller poller = context.createPoller(5);
        int iShell = poller.register(shell, ZMQ.Poller.POLLIN);
        int iControl = poller.register(control, ZMQ.Poller.POLLIN);
        int iStdin = poller.register(stdin, ZMQ.Poller.POLLIN);
        int iIopub = poller.register(iopub, ZMQ.Poller.POLLIN);
        int iWake = poller.register(wakeReceiver, ZMQ.Poller.POLLIN);
        try {
            while (!stopping) {
                try {
                    poller.poll(-1);
                    // Control first: an interrupt must not wait behind queued shell traffic.
                    if (poller.pollin(iControl)) receive(control, Channel.CONTROL, inbound);
                    if (poller.pollin(iShell)) receive(shell, Channel.SHELL, inbound);
                    if (poller.pollin(iStdin)) receive(stdin, Channel.STDIN, inbound);
                    if (poller.pollin(iIopub)) subscriptions();
                    if (poller.pollin(iWake)) {
                        while (wakeReceiver.recv(ZMQ.DONTWAIT) != null) {
                            // drain
                        }
                    }
                    flush();
                } catch (OutOfMemoryError e) {
                    // a cell filled the heap: this round is lost, the loop (and the kernel) goes on
                    Log.warn("socket loop: " + e);
                }
            }
            flush();
        } catch (RuntimeException e) {
            if (!stopping) {
                Log.warn("socket loop failed", e);
            }
        } finally {
            poller.close();
            heartbeat.stop();
            context.close();
            stopped.countDown();
        }
    }

    /** Asks the loop to send what is queued and end; returns when it has ended or after the timeout. */
    public void stop(long timeoutMillis) {
        stopping = true;
        synchronized (wakeSender) {
            wakeSender.send(new byte[] {1}, ZMQ.DONTWAIT);
        }
        try {
            stopped.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(2000);
    }

    private void receive(ZMQ.Socket socket, Channel channel, Inbound inbound) {
        List<byte[]> frames;
        while ((frames = recvMultipart(socket)) != null) {
            Message m;
            try {
                m = codec.decode(frames);
            } catch (WireCodec.BadMessage e) {
                dropped++;
                Log.warn("dropped a message on " + channel.name().toLowerCase() + ": " + e.getMessage());
                continue;
            }
            Log.debug("<- " + channel.name().toLowerCase() + " " + m.type());
            try {
                inbound.receive(channel, m);
            } catch (RuntimeException e) {
                Log.warn("handler failed for " + m.type(), e);
            }
        }
    }

    private static List<byte[]> recvMultipart(ZMQ.Socket socket) {
        byte[] first = socket.recv(ZMQ.DONTWAIT);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(8);
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }

    /** XPUB delivers subscriptions; answer each with iopub_welcome (JEP 65). */
    private void subscriptions() {
        byte[] frame;
        while ((frame = iopub.recv(ZMQ.DONTWAIT)) != null) {
            if (frame.length == 0 || frame[0] != 1) {
                continue;
            }
            String topic = new String(frame, 1, frame.length - 1, StandardCharsets.UTF_8);
            Message welcome = Message.create(session, "iopub_welcome", null,
                    Json.object().put("subscription", topic));
            sendFrames(iopub, codec.encode(welcome.withIdentities(
                    List.of(topic.getBytes(StandardCharsets.UTF_8)))));
        }
    }

    private void flush() {
        Outgoing o;
        while ((o = outgoing.poll()) != null) {
            Message m = o.message();
            Log.debug("-> " + o.channel().name().toLowerCase() + " " + m.type());
            switch (o.channel()) {
                case SHELL -> sendFrames(shell, codec.encode(m));
                case CONTROL -> sendFrames(control, codec.encode(m));
                case STDIN -> sendFrames(stdin, codec.encode(m));
                case IOPUB -> sendFrames(iopub, codec.encode(m.withIdentities(List.of(
                        ("kernel." + session + "." + m.type()).getBytes(StandardCharsets.UTF_8)))));
            }
        }
    }

    private static void sendFrames(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size() - 1; i++) {
            socket.sendMore(frames.get(i));
        }
        socket.send(frames.get(frames.size() - 1), 0);
    }
}
