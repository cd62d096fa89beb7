package io.jtune.finetune.io.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** ggml's block encodings, byte for byte against the gguf package's quantizers (test data from gguf_quant_golden.py). */
class GgmlTypeTest {
    private static JsonNode golden() throws Exception {
        return new ObjectMapper().readTree(GgmlTypeTest.class.getResourceAsStream("/io/gguf/quant_golden.json"));
    }

    private static String hex(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return HexFormat.of().formatHex(out);
    }

    @Test
    void q8_0Q4_0AndF16MatchTheReferenceQuantizers() throws Exception {
        JsonNode g = golden();
        float[] v = new float[g.get("values").size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) g.get("values").get(i).asDouble();
        }
        assertEquals(g.get("q8_0").asText(), hex(GgmlType.Q8_0.encode(v)));
        assertEquals(g.get("q4_0").asText(), hex(GgmlType.Q4_0.encode(v)));
        assertEquals(g.get("f16").asText(), hex(GgmlType.F16.encode(v)));
        assertEquals(8 * 34, GgmlType.Q8_0.bytes(256));
        assertEquals(8 * 18, GgmlType.Q4_0.bytes(256));
    }

    @Test
    void roundingIsCsRoundfAndPartialBlocksAreRefused() {
        assertEquals(-3, GgmlType.roundHalfAway(-2.5f));
        assertEquals(3, GgmlType.roundHalfAway(2.5f));
        assertEquals(0, GgmlType.roundHalfAway(0.49999997f));
        assertThrows(IllegalArgumentException.class, () -> GgmlType.Q8_0.encode(new float[33]));
        assertThrows(IllegalArgumentException.class, () -> GgmlType.parse("q5_k"));
    }
}
