package io.jtune.finetune.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {
    private static float f16(int bits) {
        return HalfFloats.f16ToFloat((short) bits);
    }

    private static int toF16(float f) {
        return HalfFloats.floatToF16(f) & 0xffff;
    }

    @Test
    void f16WidensZerosSubnormalsNormalsInfinitiesAndNaN() {
        assertEquals(0x00000000, Float.floatToRawIntBits(f16(0x0000)));
        assertEquals(0x80000000, Float.floatToRawIntBits(f16(0x8000)));
        assertEquals(0x1p-24f, f16(0x0001));
        assertEquals(1023 * 0x1p-24f, f16(0x03ff));
        assertEquals(-0x1p-14f, f16(0x8400));
        assertEquals(1.0f, f16(0x3c00));
        assertEquals(65504f, f16(0x7bff));
        assertEquals(Float.POSITIVE_INFINITY, f16(0x7c00));
        assertEquals(Float.NEGATIVE_INFINITY, f16(0xfc00));
        assertTrue(Float.isNaN(f16(0x7e00)));
        assertTrue(Float.isNaN(f16(0xfc01)));
    }

    @Test
    void everyF16ValueSurvivesWideningAndNarrowing() {
        for (int h = 0; h < 0x10000; h++) {
            float f = f16(h);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(f16(toF16(f))), Integer.toHexString(h));
            } else {
                assertEquals(h, toF16(f), Integer.toHexString(h));
            }
        }
    }

    @Test
    void f16NarrowingRoundsEveryMidpointToEvenAndEverythingElseToNearest() {
        for (int h = 0; h < 0x7bff; h++) {
            float lo = f16(h);
            float hi = f16(h + 1);
            float mid = (float) (((double) lo + hi) / 2);
            assertEquals((h & 1) == 0 ? h : h + 1, toF16(mid), "midpoint above " + Integer.toHexString(h));
            assertEquals(h, toF16(Math.nextDown(mid)), "just below the midpoint above " + Integer.toHexString(h));
            assertEquals(h + 1, toF16(Math.nextUp(mid)), "just above the midpoint above " + Integer.toHexString(h));
            assertEquals(h | 0x8000, toF16(-Math.nextDown(mid)));
        }
    }

    @Test
    void f16NarrowingOverflowsToInfinityFromTheMidpointAbove65504() {
        assertEquals(0x7bff, toF16(Math.nextDown(65520f)));
        assertEquals(0x7c00, toF16(65520f));
        assertEquals(0xfc00, toF16(-1e10f));
        assertEquals(0x7c00, toF16(Float.POSITIVE_INFINITY));
        assertEquals(0x0000, toF16(0x1p-25f));
        assertEquals(0x0001, toF16(Math.nextUp(0x1p-25f)));
        assertEquals(0x8000, toF16(-1e-30f));
        assertTrue(Float.isNaN(f16(toF16(Float.NaN))));
    }

    @Test
    void everyBf16ValueSurvivesWideningAndNarrowing() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.bf16ToFloat((short) h);
            assertEquals(h << 16, Float.floatToRawIntBits(f));
            int back = HalfFloats.floatToBf16(f) & 0xffff;
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(HalfFloats.bf16ToFloat((short) back)), Integer.toHexString(h));
            } else {
                assertEquals(h, back, Integer.toHexString(h));
            }
        }
    }

    @Test
    void bf16NarrowingRoundsTiesToEven() {
        assertEquals(0x3f80, HalfFloats.floatToBf16(1.0f + 0x1p-8f) & 0xffff);
        assertEquals(0x3f82, HalfFloats.floatToBf16(1.0f + 3 * 0x1p-8f) & 0xffff);
        assertEquals(0x3f81, HalfFloats.floatToBf16(Math.nextUp(1.0f + 0x1p-8f)) & 0xffff);
        assertEquals(0x7f80, HalfFloats.floatToBf16(Float.MAX_VALUE) & 0xffff);
    }

    @Test
    void narrowingMatchesNumpyForF16AndTorchForBf16() throws IOException {
        Map<String, Object> json = TestJson.object(TestJson.parse(RawFiles.resource("half_rounding.json")));
        long[] in = TestJson.longs(json.get("f32_bits"));
        long[] f16s = TestJson.longs(json.get("f16_bits"));
        long[] bf16s = TestJson.longs(json.get("bf16_bits"));
        assertTrue(in.length > 200);
        for (int i = 0; i < in.length; i++) {
            float f = Float.intBitsToFloat((int) in[i]);
            int f16 = (int) f16s[i];
            int bf16 = (int) bf16s[i];
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(f16(toF16(f))));
                continue;
            }
            assertEquals(f16, toF16(f), "f16 of " + f);
            assertEquals(bf16, HalfFloats.floatToBf16(f) & 0xffff, "bf16 of " + f);
        }
    }
}
