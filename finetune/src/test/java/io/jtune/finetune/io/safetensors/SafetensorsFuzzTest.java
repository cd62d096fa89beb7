package io.jtune.finetune.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutates a valid file thousands of ways (seeded, so a failure repeats) and checks that the reader
 * either opens and reads every tensor, or throws {@link SafetensorsException}: never another
 * exception, never a hang.
 */
class SafetensorsFuzzTest {
    private static final long SEED = 20250611L;
    private static final int RANDOM_MUTANTS = 3000;

    @TempDir
    Path dir;

    private byte[] base;
    private String baseHeader;
    private Map<String, Object> baseValues;

    @BeforeEach
    void validFile() throws IOException {
        Path file = dir.resolve("base.safetensors");
        SafetensorsWriter.write(file, List.of(
                TensorData.f32("model.w", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}),
                TensorData.f16("model.h", new long[] {3}, new float[] {0.5f, -1, 65504}),
                TensorData.bf16("model.b", new long[] {2}, new float[] {3, -7}),
                TensorData.i64("ids", new long[] {2}, new long[] {-5, 1L << 35}),
                TensorData.u8("mask", new long[] {4}, new byte[] {0, 1, (byte) 200, 3})),
                Map.of("note", "fuzz"));
        base = Files.readAllBytes(file);
        baseHeader = new String(base, 8, headerLength(base), StandardCharsets.UTF_8);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            baseValues = readAll(r);
        }
    }

    private static int headerLength(byte[] file) {
        return (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void thousandsOfMutatedFilesEitherReadOrFailWithTheCleanException() {
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            Random rnd = new Random(SEED);
            Path file = dir.resolve("mutant.safetensors");
            for (int i = 0; i < RANDOM_MUTANTS; i++) {
                byte[] mutant = base.clone();
                StringBuilder how = new StringBuilder();
                int rounds = 1 + rnd.nextInt(3);
                for (int k = 0; k < rounds; k++) {
                    mutant = mutate(mutant, rnd, how);
                }
                outcomes[check(file, mutant, "mutant " + i + how)]++;
            }
        });
        assertTrue(outcomes[0] > 100, "accepted " + outcomes[0]);
        assertTrue(outcomes[1] > 1000, "rejected " + outcomes[1]);
    }

    @Test
    void aFileTruncatedAtAnyByteIsRejectedCleanly() throws IOException {
        Path file = dir.resolve("cut.safetensors");
        for (int n = 0; n < base.length; n++) {
            assertEquals(1, check(file, Arrays.copyOf(base, n), "cut at " + n), "cut at " + n);
        }
        assertEquals(0, check(file, base, "whole"));
    }

    @Test
    void oddJsonHeadersAreRejectedCleanly() throws IOException {
        Path file = dir.resolve("odd.safetensors");
        String t = "{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]}";
        List<String> headers = List.of(
                "null", "[]", "\"x\"", "12", "{", "}", "{}}", "{\"a\":}", "{\"a\" 1}", "{'a':1}",
                "{\"a\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4],\"x\":" + "{\"y\":".repeat(20_000)
                        + "1" + "}".repeat(20_000) + "}}",
                "{\"__metadata__\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}",
                "{\"__metadata__\":null}", "{\"__metadata__\":{\"a\":{}}}", "{\"__metadata__\":[]}",
                "{\"a\":null}", "{\"a\":{}}", "{\"a\":{\"dtype\":null,\"shape\":[4],\"data_offsets\":[0,4]}}",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":{},\"data_offsets\":[0,4]}}",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[-4,0]}}",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0]}}",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]}}",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[2,2]}}",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[9223372036854775807,2],\"data_offsets\":[0,4]}}",
                "{\"a\":{\"dtype\":\"I64\",\"shape\":[1152921504606846976],\"data_offsets\":[0,4]}}",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[" + "9".repeat(100_000) + "],\"data_offsets\":[0,4]}}",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[1e400],\"data_offsets\":[0,4]}}",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,4.0]}}",
                "{\"a\":{\"dtype\":\"U8\",\"shape\":[4],\"data_offsets\":[0,18446744073709551620]}}",
                "{\"a\":" + t + ",\"a\":" + t + "}",
                "{\"\\ud800\":" + t + "}",
                "{\"" + "n".repeat(1_000_000) + "\":" + t + "}",
                "{\"a\":" + t + "}\u0000\u0000",
                "{\"a\":" + t + "} garbage",
                "{\"a\":" + t + ",}",
                "\uFEFF{\"a\":" + t + "}",
                "{\"a\":" + t + "}" + " ".repeat(7));
        List<String> accepted = new java.util.ArrayList<>();
        for (String header : headers) {
            String shortName = header.substring(0, Math.min(60, header.length()));
            if (check(file, RawFiles.bytes(header.getBytes(StandardCharsets.UTF_8).length,
                    header.getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3, 4}), shortName) == 0) {
                accepted.add(shortName);
            }
        }
        // Valid: two tensors side by side and trailing spaces. Nesting deeper than 1,000 levels and
        // names over 50,000 characters exceed Jackson's stream limits and are refused cleanly, as
        // Python's safetensors (serde_json stops at 128 levels) refuses deep nesting.
        assertEquals(2, accepted.size(), "accepted: " + accepted);
        byte[] latin1 = "{\"\u00e9\":{}}".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(1, check(file, RawFiles.bytes(latin1.length, latin1, new byte[0]), "invalid UTF-8"));
    }

    /** 0 when the mutant opened and every tensor read, 1 when it was rejected with a SafetensorsException. */
    private int check(Path file, byte[] content, String how) throws IOException {
        Files.write(file, content);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            Map<String, Object> values = readAll(r);
            for (TensorInfo info : r.tensors().values()) {
                assertTrue(info.dataOffset() + info.byteLength() <= content.length, how + ": " + info);
            }
            if (content.length >= base.length && Arrays.equals(content, 0, base.length, base, 0, base.length)) {
                // The valid file with bytes added at the end: the values must be the original ones.
                assertEquals(baseValues.keySet(), values.keySet(), how);
                for (String name : values.keySet()) {
                    Object want = baseValues.get(name);
                    Object got = values.get(name);
                    if (want instanceof float[] f) {
                        assertArrayEquals(f, (float[]) got, how + ": " + name);
                    } else {
                        assertArrayEquals((long[]) want, (long[]) got, how + ": " + name);
                    }
                }
            }
            return 0;
        } catch (SafetensorsException e) {
            assertTrue(e.getMessage().startsWith(file.getFileName() + ": "), how + ": " + e.getMessage());
            return 1;
        } catch (Throwable t) {
            fail(how + ": " + t, t);
            return -1;
        }
    }

    private static Map<String, Object> readAll(SafetensorsReader r) throws SafetensorsException {
        Map<String, Object> values = new LinkedHashMap<>();
        for (TensorInfo info : r.tensors().values()) {
            ByteBuffer raw = r.readRaw(info.name());
            assertEquals(info.byteLength(), raw.remaining());
            if (info.dtype().isFloatingPoint()) {
                float[] f = r.readFloats(info.name());
                assertEquals(info.numel(), f.length);
                values.put(info.name(), f);
            } else {
                long[] l = r.readLongs(info.name());
                assertEquals(info.numel(), l.length);
                try {
                    r.readInts(info.name());
                } catch (SafetensorsException tooBig) {
                    assertTrue(tooBig.getMessage().contains("does not fit in an int"), tooBig.getMessage());
                }
                values.put(info.name(), l);
            }
        }
        r.metadata();
        return values;
    }

    // ---- mutations

    private static final Pattern NUMBER = Pattern.compile("-?\\d+");
    private static final String[] NUMBERS = {"0", "-1", "-0", "1", "2", "3", "4", "8", "12", "24", "1e3", "1.5",
        "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "18446744073709551616", "9".repeat(400), "00", "01"};
    private static final String[] SNIPPETS = {"{", "}", "[", "]", "\"", ",", ":", "null", "true", "-", "0", " ",
        "\\", "\\u0000", "\"dtype\":\"F32\"", "\"shape\":[]", "\"data_offsets\":[0,0]", "\"__metadata__\":{}",
        "\"x\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[0,1]},", "[[[[[[", "]]]]", "\u00e9", "\uD83D\uDE00"};
    private static final String[] DTYPES = {"F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U8", "BOOL",
        "F8_E4M3", "f32", "", "U64"};

    private byte[] mutate(byte[] in, Random rnd, StringBuilder how) {
        int n = in.length;
        int h = n >= 8 ? (int) Math.max(0, Math.min(headerLengthOr(in), n - 8)) : 0;
        switch (rnd.nextInt(11)) {
            case 0 -> { // flip bits in the header
                how.append(" flip");
                if (h > 0) {
                    for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                        in[8 + rnd.nextInt(h)] ^= (byte) (1 << rnd.nextInt(8));
                    }
                }
                return in;
            }
            case 1 -> { // a JSON-significant byte somewhere in the header
                how.append(" byte");
                if (h > 0) {
                    byte[] b = SNIPPETS[rnd.nextInt(SNIPPETS.length)].getBytes(StandardCharsets.UTF_8);
                    in[8 + rnd.nextInt(h)] = b[0];
                }
                return in;
            }
            case 2 -> { // another header length
                long[] choices = {0, 1, 2, h - 1, h + 1, h + 8, n - 8, n - 7, n, 100_000_000, 100_000_001,
                    Long.MAX_VALUE, -1, Long.MIN_VALUE, (1L << 32) + h, rnd.nextLong(), rnd.nextInt(n + 16)};
                long v = choices[rnd.nextInt(choices.length)];
                how.append(" length=").append(v);
                if (n >= 8) {
                    ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN).putLong(0, v);
                }
                return in;
            }
            case 3 -> { // truncate near a boundary
                int[] cuts = {0, 1, 7, 8, 9, 8 + h - 1, 8 + h, 8 + h + 1, n - 1, n - 2, n - 8, rnd.nextInt(n + 1)};
                int cut = Math.max(0, Math.min(n, cuts[rnd.nextInt(cuts.length)]));
                how.append(" cut=").append(cut);
                return Arrays.copyOf(in, cut);
            }
            case 4 -> { // replace a number in the header
                String header = header(in, h);
                List<int[]> spans = spans(NUMBER.matcher(header));
                if (spans.isEmpty()) {
                    return in;
                }
                int[] s = spans.get(rnd.nextInt(spans.size()));
                String old = header.substring(s[0], s[1]);
                String repl = rnd.nextBoolean() ? NUMBERS[rnd.nextInt(NUMBERS.length)]
                        : String.valueOf(Long.parseLong(old.length() > 18 ? "0" : old) + rnd.nextInt(17) - 8);
                how.append(" number ").append(old).append("->").append(repl.length() > 20 ? "(long)" : repl);
                return rebuild(in, h, header.substring(0, s[0]) + repl + header.substring(s[1]), rnd);
            }
            case 5 -> { // replace a dtype
                String header = header(in, h);
                List<int[]> spans = spans(Pattern.compile("\"(F64|F32|F16|BF16|I64|I32|I16|I8|U8|BOOL)\"").matcher(header));
                if (spans.isEmpty()) {
                    return in;
                }
                int[] s = spans.get(rnd.nextInt(spans.size()));
                String d = DTYPES[rnd.nextInt(DTYPES.length)];
                how.append(" dtype->").append(d);
                return rebuild(in, h, header.substring(0, s[0]) + "\"" + d + "\"" + header.substring(s[1]), rnd);
            }
            case 6 -> { // insert a snippet
                String header = header(in, h);
                int at = rnd.nextInt(header.length() + 1);
                String snip = SNIPPETS[rnd.nextInt(SNIPPETS.length)];
                how.append(" insert ").append(snip);
                return rebuild(in, h, header.substring(0, at) + snip + header.substring(at), rnd);
            }
            case 7 -> { // delete or repeat a span of the header
                String header = header(in, h);
                if (header.isEmpty()) {
                    return in;
                }
                int a = rnd.nextInt(header.length());
                int b = Math.min(header.length(), a + 1 + rnd.nextInt(40));
                boolean delete = rnd.nextBoolean();
                how.append(delete ? " delete " : " repeat ").append(a).append('-').append(b);
                String changed = delete ? header.substring(0, a) + header.substring(b)
                        : header.substring(0, b) + header.substring(a, b) + header.substring(b);
                return rebuild(in, h, changed, rnd);
            }
            case 8 -> { // change the data buffer's size
                int extra = rnd.nextInt(64) - 32;
                how.append(" data").append(extra >= 0 ? "+" : "").append(extra);
                return Arrays.copyOf(in, Math.max(0, n + extra));
            }
            case 9 -> { // flip bytes anywhere
                how.append(" anywhere");
                if (n > 0) {
                    for (int k = 1 + rnd.nextInt(8); k > 0; k--) {
                        in[rnd.nextInt(n)] = (byte) rnd.nextInt(256);
                    }
                }
                return in;
            }
            default -> { // swap two tensors' offsets or shapes
                String header = header(in, h);
                List<int[]> spans = spans(Pattern.compile("\\[[0-9,]*\\]").matcher(header));
                if (spans.size() < 2) {
                    return in;
                }
                int[] x = spans.get(rnd.nextInt(spans.size()));
                int[] y = spans.get(rnd.nextInt(spans.size()));
                if (x[0] > y[0]) {
                    int[] t = x;
                    x = y;
                    y = t;
                }
                if (x[1] > y[0]) {
                    return in;
                }
                how.append(" swap");
                String changed = header.substring(0, x[0]) + header.substring(y[0], y[1])
                        + header.substring(x[1], y[0]) + header.substring(x[0], x[1]) + header.substring(y[1]);
                return rebuild(in, h, changed, rnd);
            }
        }
    }

    private static long headerLengthOr(byte[] in) {
        long v = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return v < 0 || v > Integer.MAX_VALUE ? 0 : v;
    }

    private static String header(byte[] in, int h) {
        return new String(in, Math.min(8, in.length), h, StandardCharsets.ISO_8859_1);
    }

    private static List<int[]> spans(Matcher m) {
        List<int[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new int[] {m.start(), m.end()});
        }
        return out;
    }

    /** The file with a new header text: usually with its true length, sometimes with the old one. */
    private static byte[] rebuild(byte[] in, int h, String header, Random rnd) {
        byte[] hb = header.getBytes(StandardCharsets.ISO_8859_1);
        if (hb.length != header.length()) {
            hb = header.getBytes(StandardCharsets.UTF_8);
        }
        byte[] data = Arrays.copyOfRange(in, Math.min(in.length, 8 + h), in.length);
        long length = rnd.nextInt(10) == 0 ? h : hb.length;
        return RawFiles.bytes(length, hb, data);
    }
}
