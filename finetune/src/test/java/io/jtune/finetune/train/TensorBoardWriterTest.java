package io.jtune.finetune.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event file read back record by record, checking both CRCs and decoding the protobuf fields.
 * (TensorBoard's own EventAccumulator read a file written by this class:
 * finetune/src/test/python/train/read_tensorboard.py.)
 */
class TensorBoardWriterTest {
    @TempDir
    Path tmp;

    /** The records of an event file, each CRC checked. */
    static List<byte[]> records(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            byte[] len = new byte[8];
            b.get(len);
            assertEquals(TensorBoardWriter.masked(len), b.getInt(), "length CRC");
            byte[] data = new byte[(int) ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong()];
            b.get(data);
            assertEquals(TensorBoardWriter.masked(data), b.getInt(), "data CRC");
            out.add(data);
        }
        return out;
    }

    /** (tag, value) of an Event's summary, and its step, by a minimal protobuf reader. */
    static Map<String, Float> scalars(byte[] event, long[] step) {
        ByteBuffer b = ByteBuffer.wrap(event).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Float> out = new LinkedHashMap<>();
        while (b.hasRemaining()) {
            long key = varint(b);
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            if (wire == 1) {
                b.getDouble();
            } else if (wire == 0) {
                long v = varint(b);
                if (field == 2) {
                    step[0] = v;
                }
            } else if (wire == 2) {
                byte[] inner = new byte[(int) varint(b)];
                b.get(inner);
                if (field == 5) {
                    ByteBuffer s = ByteBuffer.wrap(inner).order(ByteOrder.LITTLE_ENDIAN);
                    while (s.hasRemaining()) {
                        varint(s); // Summary.value
                        byte[] value = new byte[(int) varint(s)];
                        s.get(value);
                        ByteBuffer v = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
                        varint(v);
                        byte[] tag = new byte[(int) varint(v)];
                        v.get(tag);
                        assertEquals((2 << 3) | 5, varint(v));
                        out.put(new String(tag, StandardCharsets.UTF_8), v.getFloat());
                    }
                }
            }
        }
        return out;
    }

    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
    }

    @Test
    void scalarsReadBackWithTheirStepsAndValidChecksums() throws Exception {
        Path file;
        try (TensorBoardWriter w = new TensorBoardWriter(tmp)) {
            w.scalars(1, Map.of("train/loss", 2.5));
            w.scalars(2, Map.of("train/loss", 2.25, "eval/loss", 3.0));
            file = w.file();
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."));
        List<byte[]> recs = records(file);
        assertEquals(3, recs.size());
        assertTrue(new String(recs.get(0), StandardCharsets.ISO_8859_1).contains("brain.Event:2"));
        long[] step = new long[1];
        assertEquals(Map.of("train/loss", 2.5f), scalars(recs.get(1), step));
        assertEquals(1, step[0]);
        Map<String, Float> two = scalars(recs.get(2), step);
        assertEquals(2, step[0]);
        assertEquals(2.25f, two.get("train/loss"));
        assertEquals(3.0f, two.get("eval/loss"));
        assertTrue(Arrays.equals(recs.get(1), records(file).get(1)));
    }
}
