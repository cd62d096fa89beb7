package io.jtune.kernel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.kernel.protocol.Channel;
import io.jtune.kernel.protocol.Message;
import io.jtune.kernel.protocol.SocketLoop;

/** Builds messages for this kernel session and queues them on the socket loop. */
final class Publisher {
    private final SocketLoop sockets;
    private final String session;

    Publisher(SocketLoop sockets, String session) {
        this.sockets = sockets;
        this.session = session;
    }

    String session() {
        return session;
    }

    void send(Channel channel, Message message) {
        sockets.send(channel, message);
    }

    void iopub(String type, Message parent, ObjectNode content) {
        sockets.send(Channel.IOPUB, Message.create(session, type, parent, content));
    }

    void reply(Channel channel, Message request, String type, ObjectNode content) {
        sockets.send(channel, Message.create(session, type, request, content));
    }

    void status(Message parent, String state) {
        iopub("status", parent, io.jtune.kernel.protocol.Json.object().put("execution_state", state));
    }
}
