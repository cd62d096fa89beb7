package io.jtune.kernel.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

/**
 * One Jupyter message: routing identities, the four JSON parts and optional binary buffers.
 *
 * @param identities ZeroMQ routing frames before {@code <IDS|MSG>} (replies reuse the request's)
 */
public record Message(
        List<byte[]> identities,
        ObjectNode header,
        ObjectNode parentHeader,
        ObjectNode metadata,
        ObjectNode content,
        List<byte[]> buffers) {

    public static final String PROTOCOL_VERSION = "5.4";
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

    public String type() {
        return header.path("msg_type").asText("");
    }

    public String id() {
        return header.path("msg_id").asText("");
    }

    public String session() {
        return header.path("session").asText("");
    }

    /** A new message of {@code type} in reply to (or caused by) {@code parent}, which may be null. */
    public static Message create(String session, String type, Message parent, ObjectNode content) {
        ObjectNode header = Json.object();
        header.put("msg_id", UUID.randomUUID().toString());
        header.put("session", session);
        header.put("username", parent == null ? "kernel" : parent.header.path("username").asText("kernel"));
        header.put("date", OffsetDateTime.now(ZoneOffset.UTC).format(ISO));
        header.put("msg_type", type);
        header.put("version", PROTOCOL_VERSION);
        return new Message(
                parent == null ? List.of() : parent.identities,
                header,
                parent == null ? Json.object() : parent.header.deepCopy(),
                Json.object(),
                content,
                List.of());
    }

    /** The same message routed to other identities (iopub uses a topic instead). */
    public Message withIdentities(List<byte[]> ids) {
        return new Message(ids, header, parentHeader, metadata, content, buffers);
    }
}
