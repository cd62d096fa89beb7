package io.jtune.kernel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.kernel.comm.CommSender;
import io.jtune.kernel.protocol.Json;
import io.jtune.kernel.protocol.Message;
import java.util.Map;
import java.util.function.Supplier;

/** Comm messages from the kernel side go out on iopub, in reply to the request being handled. */
final class KernelCommSender implements CommSender {
    private final Publisher publisher;
    private final Supplier<Message> parent;

    KernelCommSender(Publisher publisher, Supplier<Message> parent) {
        this.publisher = publisher;
        this.parent = parent;
    }

    @Override
    public void send(String msgType, String commId, String target, Map<String, Object> data) {
        ObjectNode content = Json.object().put("comm_id", commId);
        if (target != null) {
            content.put("target_name", target);
        }
        content.set("data", Json.MAPPER.valueToTree(data == null ? Map.of() : data));
        publisher.iopub(msgType, parent.get(), content);
    }
}
