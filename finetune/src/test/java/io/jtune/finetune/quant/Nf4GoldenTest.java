package io.jtune.finetune.quant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.io.safetensors.SafetensorsReader;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The Java codec against the golden values of finetune/src/test/python/quant/nf4_reference.py, an
 * independent numpy implementation of NF4 with double quantization: bit for bit for the codes and
 * scales, within 1e-6 for the dequantized values.
 */
class Nf4GoldenTest {
    private static SafetensorsReader golden;

    @BeforeAll
    static void open() throws Exception {
        golden = SafetensorsReader.open(Path.of(Nf4GoldenTest.class.getResource("/quant/nf4_golden.safetensors").toURI()));
    }

    @AfterAll
    static void close() {
        golden.close();
    }

    static List<String> cases() {
        return List.of("normal_8x64", "partial_3x50", "odd_7x45", "many_130x130", "edges_4x64", "equal_scales_2x64");
    }

    static byte[] bytes(String name) throws Exception {
        ByteBuffer b = golden.readRaw(name);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void theCodeTablesAreTheReferenceOnesBitForBit() throws Exception {
        assertArrayEquals(golden.readFloats("nf4_code"), Nf4.code());
        assertArrayEquals(golden.readFloats("nf4_midpoints"), Nf4.thresholds());
        assertArrayEquals(golden.readFloats("dynamic_map"), DynamicMap.values());
    }

    @Test
    void theRoundingThresholdsAreTheConstantsOfBitsandbytesDecisionTree() {
        float[] tree = {-0.8480964004993439f, -0.6106329262256622f, -0.4599952697753906f, -0.33967943489551544f,
            -0.23460740596055984f, -0.13791173323988914f, -0.045525018125772476f, 0.03979014977812767f,
            0.1202552504837513f, 0.2035212516784668f, 0.2920137718319893f, 0.3893125355243683f,
            0.5016634166240692f, 0.6427869200706482f, 0.8614784181118011f};
        assertArrayEquals(tree, Nf4.thresholds());
        for (int i = 0; i < 15; i++) {
            assertEquals(i, Nf4.quantize(tree[i]), "a value on a midpoint takes the lower code");
            assertEquals(i + 1, Nf4.quantize(Math.nextUp(tree[i])));
        }
        assertEquals(0, Nf4.quantize(Float.NaN));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void quantizingMatchesTheReferenceBitForBit(String c) throws Exception {
        long[] shape = golden.info(c + ".input").shape();
        Nf4Tensor t = Nf4Tensor.quantize(golden.readFloats(c + ".input"), shape);
        assertArrayEquals(bytes(c + ".weight"), t.packed(), "packed codes");
        assertArrayEquals(bytes(c + ".absmax"), t.absmax(), "8-bit scales");
        assertArrayEquals(golden.readFloats(c + ".nested_absmax"), t.nestedAbsmax(), "nested absmax");
        assertEquals(Float.floatToRawIntBits(golden.readFloats(c + ".offset")[0]), Float.floatToRawIntBits(t.offset()));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void dequantizingMatchesTheReferenceWithin1e6(String c) throws Exception {
        long[] shape = golden.info(c + ".input").shape();
        Nf4Tensor t = new Nf4Tensor(shape, bytes(c + ".weight"), bytes(c + ".absmax"),
                golden.readFloats(c + ".nested_absmax"), golden.readFloats(c + ".offset")[0]);
        float[] expected = golden.readFloats(c + ".dequantized");
        float[] got = t.dequantize();
        assertEquals(expected.length, got.length);
        for (int i = 0; i < got.length; i++) {
            assertTrue(Math.abs(expected[i] - got[i]) <= 1e-6, c + "[" + i + "]: " + got[i] + " vs " + expected[i]);
        }
    }
}
