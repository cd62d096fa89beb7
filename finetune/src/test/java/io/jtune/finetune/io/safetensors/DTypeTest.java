package io.jtune.finetune.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DTypeTest {
    @Test
    void everyTypeHasItsSafetensorsNameAndByteSize() {
        Map<String, Integer> expected = Map.of("F64", 8, "F32", 4, "F16", 2, "BF16", 2, "I64", 8, "I32", 4,
                "I16", 2, "I8", 1, "U8", 1, "BOOL", 1);
        assertEquals(expected.size(), DType.values().length);
        for (DType t : DType.values()) {
            assertEquals(expected.get(t.safetensorsName()), t.byteSize(), t.toString());
            assertEquals(Optional.of(t), DType.fromSafetensorsName(t.safetensorsName()));
        }
    }

    @Test
    void namesAreCaseSensitiveAndUnknownNamesAreEmpty() {
        assertEquals(Optional.empty(), DType.fromSafetensorsName("f32"));
        assertEquals(Optional.empty(), DType.fromSafetensorsName("F8_E4M3"));
    }

    @Test
    void onlyTheFourFloatTypesAreFloatingPoint() {
        assertTrue(DType.BF16.isFloatingPoint());
        assertTrue(DType.F64.isFloatingPoint());
        assertFalse(DType.BOOL.isFloatingPoint());
        assertFalse(DType.I64.isFloatingPoint());
    }
}
