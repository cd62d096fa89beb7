package io.jtune.kernel.comm;

import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One end of a Jupyter comm: a channel between front-end code (a widget, an extension) and the
 * notebook's Java code. Messages are JSON objects, given here as maps.
 */
public final class Comm {
    private final String id;
    private final String target;
    private final CommSender sender;
    private volatile Consumer<Map<String, Object>> onMessage = m -> {};
    private volatile Consumer<Map<String, Object>> onClose = m -> {};
    private volatile boolean closed;

    Comm(String id, String target, CommSender sender) {
        this.id = id;
        this.target = target;
        this.sender = sender;
    }

    public String id() {
        return id;
    }

    public String target() {
        return target;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Sends {@code data} to the front end as a comm_msg. */
    public void send(Map<String, Object> data) {
        if (closed) {
            throw new IllegalStateException("comm " + id + " (" + target + ") is closed");
        }
        sender.send("comm_msg", id, null, data);
    }

    /** Closes the comm from this side, telling the front end. */
    public void close(Map<String, Object> data) {
        if (!closed) {
            closed = true;
            CommRegistry.forget(id);
            sender.send("comm_close", id, null, data);
        }
    }

    public void close() {
        close(Map.of());
    }

    /** Called with each comm_msg's data from the front end. */
    public Comm onMessage(Consumer<Map<String, Object>> handler) {
        onMessage = Objects.requireNonNull(handler);
        return this;
    }

    /** Called when the front end closes the comm. */
    public Comm onClose(Consumer<Map<String, Object>> handler) {
        onClose = Objects.requireNonNull(handler);
        return this;
    }

    void received(Map<String, Object> data) {
        onMessage.accept(data);
    }

    void closedByFrontEnd(Map<String, Object> data) {
        closed = true;
        onClose.accept(data);
    }
}
