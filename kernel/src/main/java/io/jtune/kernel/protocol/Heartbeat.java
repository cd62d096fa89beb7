package io.jtune.kernel.protocol;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/** Echoes every heartbeat ping on its own thread, so a busy kernel still looks alive. */
final class Heartbeat {
    private final ZMQ.Socket socket;
    private final Thread thread;

    Heartbeat(ZContext context, String address) {
        socket = context.createSocket(SocketType.REP);
        socket.setLinger(0);
        socket.bind(address);
        thread = new Thread(this::echo, "jtune-heartbeat");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() {
        thread.interrupt();
    }

    private void echo() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    byte[] ping = socket.recv(0);
                    if (ping == null) {
                        return;
                    }
                    socket.send(ping, 0);
                } catch (OutOfMemoryError e) {
                    // a full heap (a cell's doing) loses one ping, not the heartbeat
                }
            }
        } catch (ZMQException | IllegalStateException e) {
            // the context was closed: the kernel is shutting down
        } catch (RuntimeException e) {
            // JeroMQ may surface a closed selector this way during shutdown
        }
    }
}
