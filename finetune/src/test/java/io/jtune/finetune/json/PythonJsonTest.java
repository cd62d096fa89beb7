package io.jtune.finetune.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected strings are Python's {@code json.dumps} and {@code repr}. */
class PythonJsonTest {
    @Test
    void floatsAreWrittenAsPythonWritesThem() {
        double[] values = {0.1, 1e-05, 1e16, 1e15, 123456789012345678.0, 1.5e300, -0.0, 100.0, 2.5e-7, 0.0001, 1e23,
            2.82879384806159e17, 5e-324};
        String[] python = {"0.1", "1e-05", "1e+16", "1000000000000000.0", "1.2345678901234568e+17", "1.5e+300", "-0.0",
            "100.0", "2.5e-07", "0.0001", "1e+23", "2.82879384806159e+17", "5e-324"};
        for (int i = 0; i < values.length; i++) {
            assertEquals(python[i], PythonJson.pythonFloat(values[i]), "for " + values[i]);
        }
        assertEquals("NaN", PythonJson.pythonFloat(Double.NaN));
        assertEquals("-Infinity", PythonJson.pythonFloat(Double.NEGATIVE_INFINITY));
    }

    @Test
    void stringsAndSeparatorsAreWrittenAsPythonWritesThem() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("a", Arrays.asList(1L, new LinkedHashMap<>(Map.of("b", "x")), null));
        value.put("c", "é\u2028\u0000\u007f\"\\\n");
        assertEquals("{\"a\": [1, {\"b\": \"x\"}, null], \"c\": \"é\u2028\\u0000\u007f\\\"\\\\\\n\"}",
                PythonJson.dumps(value));
        Map<String, Object> indented = new LinkedHashMap<>();
        indented.put("a", List.of());
        indented.put("b", Map.of());
        indented.put("c", List.of(true));
        assertEquals("{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    true\n  ]\n}", PythonJson.dumps(indented, 2));
        assertEquals("\"\\u00e9\\ud83d\\ude0a\"", new PythonJson(true, null, null, null, false).write("é😊"));
    }

    @Test
    void sortKeysOrdersByCodePointAndIndentsAsTransformersIndexFile() {
        // json.dumps({"\U0001F600": 1, "\ufffd": 2}, sort_keys=True)
        assertEquals("{\"\\ufffd\": 2, \"\\ud83d\\ude00\": 1}",
                new PythonJson(true, null, null, null, true).write(Map.of("\uD83D\uDE00", 1, "\uFFFD", 2)));
        // json.dumps(index, indent=2, sort_keys=True), as transformers writes model.safetensors.index.json
        Map<String, Object> index = Map.of("metadata", Map.of("total_size", 12L),
                "weight_map", Map.of("b.w", "2.safetensors", "a\u00e9", "1.safetensors"));
        assertEquals("{\n  \"metadata\": {\n    \"total_size\": 12\n  },\n  \"weight_map\": {\n    \"a\\u00e9\": \"1.safetensors\",\n"
                + "    \"b.w\": \"2.safetensors\"\n  }\n}", new PythonJson(true, "  ", null, null, true).write(index));
    }

    @Test
    void readingGivesPlainJavaValues() {
        Object value = PythonJson.parse("{\"a\": [1, -2.5e3, true, null, \"\\u00e9\\ud83d\\ude0a\\n\"],"
                + " \"big\": 123456789012345678901234567890}");
        assertEquals(Map.of("a", Arrays.asList(1L, -2500.0, true, null, "é😊\n"),
                "big", new BigInteger("123456789012345678901234567890")), value);
    }

    @Test
    void readingThenWritingKeepsKeyOrder() {
        String json = "{\"z\": 1, \"a\": {\"y\": [], \"b\": \"t\"}}";
        assertEquals(json, PythonJson.dumps(PythonJson.parse(json)));
    }

    @Test
    void readingKeepsTheLastOfRepeatedKeysAndAcceptsNanAsPythonDoes() {
        Map<?, ?> value = (Map<?, ?>) PythonJson.parse("{\"a\": 1, \"b\": 2, \"a\": 3, \"n\": NaN, \"i\": -Infinity}");
        assertEquals("{\"a\": 3, \"b\": 2, \"n\": NaN, \"i\": -Infinity}", PythonJson.dumps(value));
    }

    @Test
    void aJsonErrorNamesTheLineAndColumn() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PythonJson.parse("{\n  \"a\": 1,\n  oops\n}"));
        assertTrue(e.getMessage().contains("line 3, column 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PythonJson.parse("[1, 2"));
        assertThrows(IllegalArgumentException.class, () -> PythonJson.parse("{} extra"));
    }
}
