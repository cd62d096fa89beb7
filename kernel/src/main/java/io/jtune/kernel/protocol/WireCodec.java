package io.jtune.kernel.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Frames on the wire: {@code [ids...] <IDS|MSG> signature header parent metadata content [buffers...]}.
 */
public final class WireCodec {
    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

    private final Signer signer;

    public WireCodec(Signer signer) {
        this.signer = signer;
    }

    /** Why a list of frames is not a message the kernel may act on. */
    public static final class BadMessage extends Exception {
        private static final long serialVersionUID = 1L;

        BadMessage(String why) {
            super(why);
        }
    }

    public List<byte[]> encode(Message m) {
        byte[] header = Json.bytes(m.header());
        byte[] parent = Json.bytes(m.parentHeader());
        byte[] metadata = Json.bytes(m.metadata());
        byte[] content = Json.bytes(m.content());
        List<byte[]> frames = new ArrayList<>(m.identities().size() + 6 + m.buffers().size());
        frames.addAll(m.identities());
        frames.add(DELIMITER);
        frames.add(signer.sign(header, parent, metadata, content).getBytes(StandardCharsets.US_ASCII));
        frames.add(header);
        frames.add(parent);
        frames.add(metadata);
        frames.add(content);
        frames.addAll(m.buffers());
        return frames;
    }

    /** Parses and verifies frames; a bad signature, a missing part or invalid JSON is a BadMessage. */
    public Message decode(List<byte[]> frames) throws BadMessage {
        int d = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                d = i;
                break;
            }
        }
        if (d < 0) {
            throw new BadMessage("no <IDS|MSG> delimiter in " + frames.size() + " frames");
        }
        if (frames.size() < d + 6) {
            throw new BadMessage("truncated message: " + (frames.size() - d - 1) + " of 5 parts after the delimiter");
        }
        byte[] sig = frames.get(d + 1);
        byte[] header = frames.get(d + 2);
        byte[] parent = frames.get(d + 3);
        byte[] metadata = frames.get(d + 4);
        byte[] content = frames.get(d + 5);
        if (signer.enabled() && !signer.verify(sig, header, parent, metadata, content)) {
            throw new BadMessage(sig.length == 0 ? "missing signature" : "invalid signature");
        }
        ObjectNode h = object(header, "header");
        if (!h.path("msg_type").isTextual()) {
            throw new BadMessage("header has no msg_type");
        }
        return new Message(
                List.copyOf(frames.subList(0, d)),
                h,
                object(parent, "parent_header"),
                object(metadata, "metadata"),
                object(content, "content"),
                List.copyOf(frames.subList(d + 6, frames.size())));
    }

    private static ObjectNode object(byte[] bytes, String part) throws BadMessage {
        try {
            JsonNode n = Json.MAPPER.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                return Json.object();
            }
            if (!n.isObject()) {
                throw new BadMessage(part + " is not a JSON object");
            }
            return (ObjectNode) n;
        } catch (IOException e) {
            throw new BadMessage(part + " is not valid JSON: " + e.getMessage());
        }
    }
}
