package io.jtune.kernel.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireCodecTest {
    private final WireCodec codec = new WireCodec(new Signer("secret"));

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void hmacMatchesAnIndependentlyComputedValue() {
        // python3 -c "import hmac,hashlib; print(hmac.new(b'key', b'abcd', hashlib.sha256).hexdigest())"
        assertEquals("2a31ec0ee8d878c9eece9fb0df79b3b90b2256240163aa5ee50d176d3d1121f8",
                new Signer("key").sign(b("ab"), b("cd")));
        assertEquals("", new Signer("").sign(b("x")), "an empty key disables signing");
    }

    @Test
    void encodedMessageDecodesToTheSameParts() throws Exception {
        Message m = Message.create("s1", "execute_request", null, Json.object().put("code", "1+1"))
                .withIdentities(List.of(b("client-id")));
        Message back = codec.decode(codec.encode(m));
        assertEquals("execute_request", back.type());
        assertEquals("1+1", back.content().path("code").asText());
        assertArrayEquals(b("client-id"), back.identities().get(0));
        assertEquals("5.4", back.header().path("version").asText());
    }

    @Test
    void wrongOrMissingSignatureIsRejected() {
        Message m = Message.create("s1", "execute_request", null, Json.object());
        List<byte[]> frames = new ArrayList<>(new WireCodec(new Signer("other")).encode(m));
        assertTrue(assertThrows(WireCodec.BadMessage.class, () -> codec.decode(frames)).getMessage().contains("invalid signature"));
        frames.set(1, new byte[0]);
        assertTrue(assertThrows(WireCodec.BadMessage.class, () -> codec.decode(frames)).getMessage().contains("missing signature"));
    }

    @Test
    void truncatedInvalidJsonAndMissingDelimiterAreRejected() {
        List<byte[]> frames = new ArrayList<>(codec.encode(Message.create("s", "kernel_info_request", null, Json.object())));
        assertThrows(WireCodec.BadMessage.class, () -> codec.decode(frames.subList(0, 4)));
        assertThrows(WireCodec.BadMessage.class, () -> codec.decode(List.of(b("junk"))));
        WireCodec unsigned = new WireCodec(new Signer(""));
        List<byte[]> bad = new ArrayList<>(unsigned.encode(Message.create("s", "kernel_info_request", null, Json.object())));
        bad.set(2, b("{not json"));
        assertTrue(assertThrows(WireCodec.BadMessage.class, () -> unsigned.decode(bad)).getMessage().contains("header"));
    }
}
