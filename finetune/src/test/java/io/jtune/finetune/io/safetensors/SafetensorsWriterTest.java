package io.jtune.finetune.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/*
 * Interop with Python, checked once by hand (the build needs no Python). A throwaway main compiled
 * against target-io/classes and jackson-core wrote /tmp/java-written/all.safetensors
 * (SafetensorsWriter.write of allTypes() below with metadata {"made_by": "jtune"}) and
 * /tmp/java-written/sharded/ (writeSharded of the same tensors, maxShardBytes 64: three shards and
 * an index). Then, in a virtualenv made from the local package mirror:
 *
 *   python3 -m venv /tmp/venv-io
 *   /tmp/venv-io/bin/pip install --index-url file:///opt/pypi/simple \
 *       --extra-index-url file:///opt/pypi-more/simple safetensors numpy ml_dtypes torch
 *   /tmp/venv-io/bin/python src/test/resources/io/check_java_files.py /tmp/java-written
 *
 * (safetensors 0.8.0, torch 2.13.0+cpu, numpy 2.4.6) printed "java files OK: 11 tensors; 3 shards":
 * safetensors.torch.load_file and safe_open(framework="pt") loaded every tensor with its dtype and
 * shape, bit-identical to torch's own conversions (F16 and BF16 rounding included), the metadata
 * was {'format': 'pt', 'made_by': 'jtune'}, every shard the index names loaded, and the index text
 * equalled json.dumps(index, indent=2, sort_keys=True) + "\n".
 */
class SafetensorsWriterTest {
    @TempDir
    Path dir;

    static List<TensorData> allTypes() {
        float[] floats = {0f, -0f, 1.5f, -2.25f, 65504f, 1e-6f, Float.POSITIVE_INFINITY, 1f / 3};
        return List.of(
                TensorData.f32("f32", new long[] {2, 4}, floats),
                TensorData.f16("f16", new long[] {8}, floats),
                TensorData.bf16("bf16", new long[] {4, 2}, floats),
                TensorData.f64("f64", new long[] {2}, new double[] {Math.PI, -1e300}),
                TensorData.i64("i64", new long[] {3}, new long[] {Long.MIN_VALUE, 0, 1L << 40}),
                TensorData.i32("i32", new long[] {1, 3}, new int[] {-1, 2, Integer.MAX_VALUE}),
                TensorData.u8("u8", new long[] {2}, new byte[] {0, (byte) 255}),
                new TensorData("i16", DType.I16, new long[] {2},
                        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) -300).putShort((short) 7).flip()),
                new TensorData("flags", DType.BOOL, new long[] {3}, ByteBuffer.wrap(new byte[] {1, 0, 1})),
                TensorData.f32("scalar", new long[] {}, new float[] {42f}),
                TensorData.f32("empty", new long[] {0, 5}, new float[0]));
    }

    @Test
    void everyTypeWrittenReadsBackWithItsShapeAndValues() throws IOException {
        Path file = dir.resolve("all.safetensors");
        SafetensorsWriter.write(file, allTypes(), Map.of("made_by", "jtune"));
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(Map.of("format", "pt", "made_by", "jtune"), r.metadata());
            assertEquals(allTypes().stream().map(TensorData::name).collect(Collectors.toList()),
                    new ArrayList<>(r.tensors().keySet()));
            for (TensorData t : allTypes()) {
                assertEquals(t.dtype(), r.info(t.name()).dtype());
                assertArrayEquals(t.shape(), r.info(t.name()).shape());
                assertEquals(t.data(), r.readRaw(t.name()), t.name());
            }
            float[] f16 = r.readFloats("f16");
            assertEquals(65504f, f16[4]);
            assertEquals(HalfFloats.f16ToFloat(HalfFloats.floatToF16(1e-6f)), f16[5]);
            assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(1f / 3)), r.readFloats("bf16")[7]);
            assertArrayEquals(new long[] {Long.MIN_VALUE, 0, 1L << 40}, r.readLongs("i64"));
            assertArrayEquals(new int[] {-300, 7}, r.readInts("i16"));
            assertArrayEquals(new int[] {1, 0, 1}, r.readInts("flags"));
            assertArrayEquals(new float[] {42f}, r.readFloats("scalar"));
            assertEquals(Math.PI, (double) r.readFloats("f64")[0], 1e-6);
        }
    }

    @Test
    void theHeaderIsSpacePaddedToAMultipleOf8AndTensorsAreContiguousInTheGivenOrder() throws IOException {
        Path file = dir.resolve("m.safetensors");
        List<TensorData> tensors = List.of(
                TensorData.f32("b", new long[] {3}, new float[] {1, 2, 3}),
                TensorData.i64("a", new long[] {1}, new long[] {5}));
        SafetensorsWriter.write(file, tensors);
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8);
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[12,20]}}";
        assertEquals(json + " ".repeat((int) n - json.length()), header);
        assertEquals(8 + n + 20, bytes.length);
        assertEquals(5L, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong((int) (8 + n + 12)));
    }

    @Test
    void writingReplacesTheFileAtomicallyAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.writeString(file, "old");
        SafetensorsWriter.write(file, List.of(TensorData.f32("w", new long[] {1}, new float[] {1})));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.collect(Collectors.toList()));
        }
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertArrayEquals(new float[] {1}, r.readFloats("w"));
        }
    }

    @Test
    void aFailedWriteNamesTheFileAndLeavesNothingBehind() throws IOException {
        Path blocker = dir.resolve("not-a-folder");
        Files.writeString(blocker, "x");
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsWriter.write(
                blocker.resolve("model.safetensors"), List.of(TensorData.f32("w", new long[] {1}, new float[] {1}))));
        assertTrue(e.getMessage().startsWith("model.safetensors: cannot write "), e.getMessage());
    }

    @Test
    void badArgumentsAreIllegalArguments() {
        TensorData w = TensorData.f32("w", new long[] {1}, new float[] {1});
        assertEquals("tensor 'w' is given twice", assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(dir.resolve("x.safetensors"), List.of(w, w))).getMessage());
        assertEquals("tensor 'v': shape [2, 2] has 4 elements but 3 values were given", assertThrows(
                IllegalArgumentException.class, () -> TensorData.f32("v", new long[] {2, 2}, new float[3])).getMessage());
        assertEquals("tensor 'v': shape [2] of F32 needs 8 bytes but the buffer has 7", assertThrows(
                IllegalArgumentException.class,
                () -> new TensorData("v", DType.F32, new long[] {2}, ByteBuffer.allocate(7))).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TensorData.f32("__metadata__", new long[] {1}, new float[1]));
        assertThrows(IllegalArgumentException.class,
                () -> TensorData.f32("v", new long[] {-1}, new float[0]));
        assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.writeSharded(dir, List.of(w), 0));
    }

    @Test
    void tensorDataKeepsItsOwnViewOfTheCallersBuffer() {
        ByteBuffer caller = ByteBuffer.allocate(12).putInt(7).putInt(8).putInt(9);
        caller.position(4);
        TensorData t = new TensorData("t", DType.I32, new long[] {2}, caller);
        assertEquals(4, caller.position());
        assertEquals(8, t.byteLength());
        assertTrue(t.data().isReadOnly());
        assertEquals(0, t.data().position());
    }

    @Test
    void tensorsThatFitOneShardAreWrittenAsModelSafetensors() throws IOException {
        List<Path> written = SafetensorsWriter.writeSharded(dir, allTypes(), 1 << 20);
        assertEquals(List.of(dir.resolve("model.safetensors")), written);
        assertFalse(Files.exists(dir.resolve("model.safetensors.index.json")));
    }

    @Test
    void tensorsOverTheShardSizeAreSplitAndIndexedAsTransformersNamesThem() throws IOException {
        List<TensorData> tensors = List.of(
                TensorData.f32("model.a", new long[] {4}, new float[] {1, 2, 3, 4}),
                TensorData.f32("model.b", new long[] {2}, new float[] {5, 6}),
                TensorData.f32("model.big", new long[] {10}, new float[10]),
                TensorData.i64("lm_head.ids", new long[] {1}, new long[] {9}));
        List<Path> written = SafetensorsWriter.writeSharded(dir, tensors, 24);
        assertEquals(List.of(dir.resolve("model-00001-of-00003.safetensors"), dir.resolve("model-00002-of-00003.safetensors"),
                dir.resolve("model-00003-of-00003.safetensors"), dir.resolve("model.safetensors.index.json")), written);
        String expected = """
                {
                  "metadata": {
                    "total_size": 72
                  },
                  "weight_map": {
                    "lm_head.ids": "model-00003-of-00003.safetensors",
                    "model.a": "model-00001-of-00003.safetensors",
                    "model.b": "model-00001-of-00003.safetensors",
                    "model.big": "model-00002-of-00003.safetensors"
                  }
                }
                """;
        assertEquals(expected, Files.readString(dir.resolve("model.safetensors.index.json")));
        try (ShardedSafetensors w = ShardedSafetensors.open(dir)) {
            assertArrayEquals(new float[] {5, 6}, w.readFloats("model.b"));
            assertArrayEquals(new long[] {9}, w.readLongs("lm_head.ids"));
            assertEquals(Map.of("format", "pt"), w.metadata());
        }
    }

    @Test
    void indexStringsAreEscapedAsPythonsJsonDumpsEscapesThem() {
        String json = new String(SafetensorsWriter.indexJson(1, Map.of("caf\u00e9 \"q\"\\\n", "f.safetensors")),
                StandardCharsets.US_ASCII);
        assertTrue(json.contains("\"caf\\u00e9 \\\"q\\\"\\\\\\n\": \"f.safetensors\""), json);
    }

    @Test
    void weightFilesOfAnEarlierWriteAreRemoved() throws IOException {
        List<TensorData> tensors = List.of(TensorData.f32("a", new long[] {4}, new float[4]),
                TensorData.f32("b", new long[] {4}, new float[4]));
        SafetensorsWriter.writeSharded(dir, tensors, 16);
        Files.writeString(dir.resolve("config.json"), "{}");
        assertTrue(Files.exists(dir.resolve("model-00002-of-00002.safetensors")));
        SafetensorsWriter.writeSharded(dir, tensors, 1000);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("config.json", "model.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
        SafetensorsWriter.writeSharded(dir, tensors, 16);
        assertFalse(Files.exists(dir.resolve("model.safetensors")));
    }
}
