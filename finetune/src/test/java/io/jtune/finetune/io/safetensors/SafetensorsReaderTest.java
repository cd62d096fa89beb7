package io.jtune.finetune.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafetensorsReaderTest {
    @TempDir
    Path dir;

    private static final String F32_2X3 = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}";

    private Path validFile() {
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 6; i++) {
            data.putFloat(i + 0.5f);
        }
        return RawFiles.write(dir.resolve("model.safetensors"), F32_2X3, data.array());
    }

    @Test
    void readsEveryDtypeThatPythonSafetensorsWrote() throws IOException {
        Map<String, Object> expected = TestJson.object(TestJson.object(
                TestJson.parse(RawFiles.resource("python_dtypes.json"))).get("tensors"));
        try (SafetensorsReader r = SafetensorsReader.open(RawFiles.resource("python_dtypes.safetensors"))) {
            assertEquals(expected.keySet(), r.tensors().keySet());
            for (Map.Entry<String, Object> e : expected.entrySet()) {
                String name = e.getKey();
                Map<String, Object> want = TestJson.object(e.getValue());
                TensorInfo info = r.info(name);
                assertEquals(want.get("dtype"), info.dtype().safetensorsName(), name);
                assertArrayEquals(TestJson.longs(want.get("shape")), info.shape(), name);
                if (want.containsKey("f32_bits")) {
                    long[] bits = TestJson.longs(want.get("f32_bits"));
                    float[] got = r.readFloats(name);
                    assertEquals(bits.length, got.length, name);
                    for (int i = 0; i < bits.length; i++) {
                        assertEquals((int) bits[i], Float.floatToRawIntBits(got[i]), name + "[" + i + "] = " + got[i]);
                    }
                } else {
                    long[] values = TestJson.longs(want.get("values"));
                    assertArrayEquals(values, r.readLongs(name), name);
                    if (!name.startsWith("i64")) {
                        assertArrayEquals(java.util.Arrays.stream(values).mapToInt(v -> (int) v).toArray(),
                                r.readInts(name), name);
                    }
                }
            }
        }
    }

    @Test
    void metadataHoldsWhatPythonWrote() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(RawFiles.resource("python_dtypes.safetensors"))) {
            assertEquals(Map.of("made_by", "make_python_files.py"), r.metadata());
        }
    }

    @Test
    void tensorsAreListedInTheOrderTheirBytesLieInTheFile() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(RawFiles.resource("python_dtypes.safetensors"))) {
            long last = -1;
            for (TensorInfo info : r.tensors().values()) {
                assertTrue(info.dataOffset() >= last, info.toString());
                last = info.dataOffset();
            }
            assertEquals(1, r.info("scalar").numel());
            assertEquals(0, r.info("empty").numel());
            assertEquals(0, r.readFloats("empty").length);
        }
    }

    @Test
    void readRawGivesANewDirectLittleEndianBufferOfTheTensorsBytes() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(validFile())) {
            ByteBuffer raw = r.readRaw("w");
            assertTrue(raw.isDirect());
            assertEquals(ByteOrder.LITTLE_ENDIAN, raw.order());
            assertEquals(0, raw.position());
            assertEquals(24, raw.limit());
            assertEquals(2.5f, raw.getFloat(8));
            ByteBuffer part = ByteBuffer.allocate(8);
            r.read("w", 16, part);
            assertEquals(4.5f, part.flip().order(ByteOrder.LITTLE_ENDIAN).getFloat());
        }
    }

    @Test
    void readAsF32WritesAtTheBuffersPositionAndRefusesABufferTooSmall() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(validFile())) {
            FloatBuffer dst = FloatBuffer.allocate(8);
            dst.put(-1f);
            r.readAsF32("w", dst);
            assertEquals(7, dst.position());
            assertArrayEquals(new float[] {-1f, 0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 0f}, dst.array());
            SafetensorsException e = assertThrows(SafetensorsException.class,
                    () -> r.readAsF32("w", FloatBuffer.allocate(5)));
            assertEquals("model.safetensors: tensor 'w': has 6 elements but the buffer has room for 5", e.getMessage());
        }
    }

    @Test
    void anUnknownNameIsAnErrorListingNamesLikeIt() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(RawFiles.resource("python_dtypes.safetensors"))) {
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> r.readFloats("f16.weights"));
            assertTrue(e.getMessage().startsWith("python_dtypes.safetensors: no tensor named 'f16.weights'; it has 16 "
                    + "tensors, such as 'f16.weight'"), e.getMessage());
        }
    }

    @Test
    void conversionsThatWouldLoseMeaningAreRefused() throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(RawFiles.resource("python_dtypes.safetensors"))) {
            assertEquals("python_dtypes.safetensors: tensor 'i64.ids': element 2 is 1099511627776, which does not fit "
                    + "in an int; read it with readLongs",
                    assertThrows(SafetensorsException.class, () -> r.readInts("i64.ids")).getMessage());
            assertTrue(assertThrows(SafetensorsException.class, () -> r.readFloats("u8.ids")).getMessage()
                    .contains("is U8, not a floating-point type"));
            assertTrue(assertThrows(SafetensorsException.class, () -> r.readLongs("bf16.weight")).getMessage()
                    .contains("is BF16, not an integer type"));
            assertTrue(assertThrows(SafetensorsException.class, () -> r.read("f32.weight", 40, ByteBuffer.allocate(16)))
                    .getMessage().contains("cannot read 16 bytes at offset 40 of a tensor of 48 bytes"));
        }
    }

    @Test
    void aReadAfterCloseFailsWithTheCleanException() throws IOException {
        SafetensorsReader r = SafetensorsReader.open(validFile());
        r.close();
        assertEquals("model.safetensors: tensor 'w': the reader is closed",
                assertThrows(SafetensorsException.class, () -> r.readFloats("w")).getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        shape disagrees with offsets | {"lm_head.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,12]}} | model.safetensors: tensor 'lm_head.weight': data_offsets [0, 12] hold 12 bytes but shape [2, 3] of F32 needs 24
        unknown dtype                | {"w":{"dtype":"F8","shape":[2],"data_offsets":[0,2]}} | model.safetensors: tensor 'w': dtype "F8" is not one of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL
        negative dimension           | {"w":{"dtype":"F32","shape":[-2,3],"data_offsets":[0,24]}} | model.safetensors: tensor 'w': "shape" holds the negative number -2
        fractional dimension         | {"w":{"dtype":"F32","shape":[2.0,3],"data_offsets":[0,24]}} | model.safetensors: tensor 'w': "shape" holds a non-integer number, not only integers
        overflowing shape            | {"w":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,24]}} | model.safetensors: tensor 'w': shape [4294967296, 4294967296] has more elements than fit in 64 bits
        overflowing byte size        | {"w":{"dtype":"F64","shape":[2305843009213693952],"data_offsets":[0,24]}} | model.safetensors: tensor 'w': shape [2305843009213693952] of F64 needs more bytes than fit in 64 bits
        number beyond 64 bits        | {"w":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,24]}} | model.safetensors: tensor 'w': "shape" holds 99999999999999999999, which does not fit in 64 bits
        offsets past the buffer      | {"w":{"dtype":"F32","shape":[2,3],"data_offsets":[8,32]}} | model.safetensors: tensor 'w': data_offsets [8, 32] run past the end of the data buffer, which holds 24 bytes
        reversed offsets             | {"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}} | model.safetensors: tensor 'w': data_offsets [8, 0] end before they begin
        three offsets                | {"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24,24]}} | model.safetensors: tensor 'w': data_offsets [0, 24, 24] has 3 numbers, not 2 [begin, end]
        missing shape                | {"w":{"dtype":"F32","data_offsets":[0,24]}} | model.safetensors: tensor 'w': "shape" is missing
        entry not an object          | {"w":[1,2]} | model.safetensors: tensor 'w': entry is an array, not an object
        overlapping tensors          | {"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[12,20]}} | model.safetensors: tensors 'a' (data_offsets [0, 16]) and 'b' (data_offsets [12, 20]) overlap
        metadata value not a string  | {"__metadata__":{"format":1}} | model.safetensors: "__metadata__" value for 'format' is an integer, not a string
        metadata not an object       | {"__metadata__":"pt"} | model.safetensors: "__metadata__" is a string, not an object of strings
        top level an array           | [1,2] | model.safetensors: header does not start with '{', so it is not a JSON object
        two JSON values              | {} {} | model.safetensors: header has more JSON after its object
        """)
    void aMalformedHeaderIsRejectedNamingTheFileTensorAndField(String what, String header, String message) {
        Path file = RawFiles.write(dir.resolve("model.safetensors"), header, new byte[24]);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(file));
        assertEquals(message, e.getMessage());
    }

    @Test
    void duplicateKeysAndBrokenJsonAreRejected() {
        Path dup = RawFiles.write(dir.resolve("dup.safetensors"),
                "{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                        + "\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", new byte[2]);
        assertEquals("dup.safetensors: header names 'w' twice",
                assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(dup)).getMessage());
        Path dupField = RawFiles.write(dir.resolve("dup2.safetensors"),
                "{\"w\":{\"dtype\":\"U8\",\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]);
        assertEquals("dup2.safetensors: tensor 'w': \"dtype\" is given twice",
                assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(dupField)).getMessage());
        Path dupMeta = RawFiles.write(dir.resolve("dup3.safetensors"), "{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}",
                new byte[0]);
        assertEquals("dup3.safetensors: \"__metadata__\" names 'a' twice",
                assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(dupMeta)).getMessage());
        Path broken = RawFiles.write(dir.resolve("broken.safetensors"), "{\"w\":", new byte[0]);
        assertStartsWith("broken.safetensors: header is not valid JSON", broken);
        byte[] badUtf8 = "{\"w\u00e9\":{}}".getBytes(StandardCharsets.ISO_8859_1);
        Path latin1 = RawFiles.write(dir.resolve("latin1.safetensors"), RawFiles.bytes(badUtf8.length, badUtf8, new byte[0]));
        assertEquals("latin1.safetensors: header is not valid UTF-8 (at header byte 3)",
                assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(latin1)).getMessage());
    }

    private static void assertStartsWith(String prefix, Path file) {
        String message = assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(file)).getMessage();
        assertTrue(message.startsWith(prefix), message);
    }

    @Test
    void headerLengthsOutsideTheFileOrOverTheLimitAreRejectedWithoutAllocating() {
        byte[] header = F32_2X3.getBytes(StandardCharsets.UTF_8);
        Path tooLong = RawFiles.write(dir.resolve("a.safetensors"), RawFiles.bytes(header.length + 100, header, new byte[24]));
        assertEquals("a.safetensors: header length " + (header.length + 100) + " runs past the end of the file, which is "
                + (8 + header.length + 24) + " bytes",
                assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(tooLong)).getMessage());
        Path huge = RawFiles.write(dir.resolve("b.safetensors"), RawFiles.bytes(-1L, header, new byte[0]));
        assertEquals("b.safetensors: header length 18446744073709551615 is more than the 100000000 bytes allowed",
                assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(huge)).getMessage());
        Path overLimit = RawFiles.write(dir.resolve("c.safetensors"), RawFiles.bytes(100_000_001L, header, new byte[0]));
        assertTrue(assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(overLimit)).getMessage()
                .contains("header length 100000001 is more than the 100000000 bytes allowed"));
        Path tiny = RawFiles.write(dir.resolve("d.safetensors"), new byte[] {2, 0, 0});
        assertEquals("d.safetensors: file is 3 bytes, too short for the 8-byte header length",
                assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(tiny)).getMessage());
    }

    @Test
    void missingFilesAndFoldersAreCleanErrors() {
        assertTrue(assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(dir.resolve("none.safetensors")))
                .getMessage().startsWith("none.safetensors: file not found"));
        assertTrue(assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(dir))
                .getMessage().contains("is a folder, not a safetensors file"));
        Path device = Path.of("/dev/zero");
        if (Files.exists(device)) {
            assertEquals("zero: is not a regular file: a character device (/dev/zero)",
                    assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(device)).getMessage());
        }
    }

    @Test
    void unknownFieldsAndGapsBetweenTensorsAreAccepted() throws IOException {
        String header = "{\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[4,6],\"note\":{\"x\":[1,[2]]}},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}   ";
        Path file = RawFiles.write(dir.resolve("gaps.safetensors"), header, new byte[] {9, 0, 0, 0, 7, 8});
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(List.of("b", "a"), new ArrayList<>(r.tensors().keySet()));
            assertArrayEquals(new int[] {7, 8}, r.readInts("a"));
            assertArrayEquals(new long[] {9}, r.readLongs("b"));
            assertEquals(Map.of(), r.metadata());
        }
    }

    @Test
    void aFileLargerThan2GbIsReadWithPositionalReads() throws IOException {
        long big = 3L * 1024 * 1024 * 1024;
        String header = "{\"big\":{\"dtype\":\"U8\",\"shape\":[" + big + "],\"data_offsets\":[0," + big + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + big + "," + (big + 8) + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("big.safetensors");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.SPARSE)) {
            ch.write(ByteBuffer.wrap(RawFiles.bytes(h.length, h, new byte[0])));
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.25f).putFloat(-3f).flip();
            ch.write(tail, 8 + h.length + big);
        }
        assertEquals(8 + h.length + big + 8, Files.size(file));
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertArrayEquals(new float[] {1.25f, -3f}, r.readFloats("tail"));
            ByteBuffer piece = ByteBuffer.allocate(16);
            r.read("big", big - 16, piece);
            assertEquals(16, piece.position());
            assertTrue(assertThrows(SafetensorsException.class, () -> r.readRaw("big")).getMessage()
                    .contains("more than one buffer can hold; read it in pieces"));
            assertTrue(assertThrows(SafetensorsException.class, () -> r.readInts("big")).getMessage()
                    .contains("more than one Java array can hold"));
        }
    }
}
