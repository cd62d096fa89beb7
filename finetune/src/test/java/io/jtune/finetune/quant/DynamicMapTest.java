package io.jtune.finetune.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The unsigned map (the signed one is checked against the reference script in Nf4GoldenTest). */
class DynamicMapTest {
    @Test
    void theUnsignedMapRunsFromZeroToOneWithTheFinestStepsNearZero() {
        float[] u = DynamicMap.unsignedValues();
        assertEquals(256, u.length);
        assertEquals(0f, u[0]);
        assertEquals(1f, u[255]);
        for (int i = 1; i < u.length; i++) {
            assertTrue(u[i] > u[i - 1], "strictly ascending at " + i);
        }
        // exponent 0: the two midpoints of linspace(0.1, 1, 3) times 1e-6
        assertEquals(0.325e-6f, u[1], 1e-12f);
        assertEquals(0.775e-6f, u[2], 1e-12f);
        // the largest below 1: the last midpoint of linspace(0.1, 1, 129)
        assertEquals((1f + (1f - 0.9f / 128)) / 2, u[254], 1e-6f);
    }
}
