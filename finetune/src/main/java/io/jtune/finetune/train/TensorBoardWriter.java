package io.jtune.finetune.train;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Scalars in TensorBoard's event file format, written without TensorFlow: a file
 * {@code events.out.tfevents.<seconds>.<host>} of TFRecords (length, masked CRC-32C of the length,
 * the record, masked CRC-32C of the record; little-endian), each record a serialized
 * {@code tensorflow.Event} protobuf: the first holds {@code file_version "brain.Event:2"}, the
 * others {@code wall_time}, {@code step} and a {@code Summary} of {@code (tag, simple_value)}
 * values. TensorBoard's own reader loads it (checked with tensorboard's EventAccumulator).
 */
public final class TensorBoardWriter implements AutoCloseable {
    private static final int MASK_DELTA = 0xa282ead8;

    private final Path file;
    private final OutputStream out;

    public TensorBoardWriter(Path dir) throws IOException {
        Files.createDirectories(dir);
        long now = System.currentTimeMillis() / 1000;
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        this.file = dir.resolve("events.out.tfevents." + now + "." + host.replaceAll("[^A-Za-z0-9._-]", "_"));
        this.out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        writeDouble(event, 1, System.currentTimeMillis() / 1000.0);
        writeBytes(event, 3, "brain.Event:2".getBytes(StandardCharsets.UTF_8));
        record(event.toByteArray());
    }

    public Path file() {
        return file;
    }

    /** One event at {@code step} holding each (tag, value); non-finite values are written as they are. */
    public synchronized void scalars(long step, Map<String, Double> values) throws IOException {
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            writeBytes(value, 1, e.getKey().getBytes(StandardCharsets.UTF_8));
            writeFloat(value, 2, e.getValue().floatValue());
            writeBytes(summary, 1, value.toByteArray());
        }
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        writeDouble(event, 1, System.currentTimeMillis() / 1000.0);
        writeVarintField(event, 2, step);
        writeBytes(event, 5, summary.toByteArray());
        record(event.toByteArray());
        out.flush();
    }

    private void record(byte[] data) throws IOException {
        byte[] len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
        out.write(len);
        out.write(intLe(masked(len)));
        out.write(data);
        out.write(intLe(masked(data)));
    }

    static int masked(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    private static byte[] intLe(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static void writeTag(ByteArrayOutputStream out, int field, int wireType) {
        writeVarint(out, ((long) field << 3) | wireType);
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static void writeVarintField(ByteArrayOutputStream out, int field, long v) {
        writeTag(out, field, 0);
        writeVarint(out, v);
    }

    private static void writeDouble(ByteArrayOutputStream out, int field, double v) {
        writeTag(out, field, 1);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array());
    }

    private static void writeFloat(ByteArrayOutputStream out, int field, float v) {
        writeTag(out, field, 5);
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array());
    }

    private static void writeBytes(ByteArrayOutputStream out, int field, byte[] bytes) {
        writeTag(out, field, 2);
        writeVarint(out, bytes.length);
        out.writeBytes(bytes);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
