package io.jtune.finetune.io.gguf;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a GGUF version 3 file, little-endian, as llama.cpp's {@code gguf.c} reads it: the header
 * ({@code GGUF}, version, tensor and key-value counts), the typed key-value metadata, one info
 * record per tensor (name, dimensions innermost first, ggml type, offset), then the tensor data,
 * each tensor starting at a multiple of {@code general.alignment} (32). The file is written beside
 * its name and renamed.
 */
public final class GgufWriter {
    public static final int VERSION = 3;
    public static final int ALIGNMENT = 32;

    // gguf_type
    static final int UINT8 = 0;
    static final int INT8 = 1;
    static final int UINT16 = 2;
    static final int INT16 = 3;
    static final int UINT32 = 4;
    static final int INT32 = 5;
    static final int FLOAT32 = 6;
    static final int BOOL = 7;
    static final int STRING = 8;
    static final int ARRAY = 9;
    static final int UINT64 = 10;
    static final int INT64 = 11;
    static final int FLOAT64 = 12;

    /** A metadata value with its GGUF type (arrays hold elements of one type). */
    public record Value(int type, Object value, int elementType) {}

    /** A tensor to write: its GGUF name, its shape as numpy gives it (outermost first), and its data. */
    public record Tensor(String name, long[] shape, GgmlType type, ByteBuffer data) {}

    private final Map<String, Value> metadata = new LinkedHashMap<>();
    private final List<Tensor> tensors = new ArrayList<>();

    public GgufWriter putString(String key, String v) {
        return put(key, new Value(STRING, v, -1));
    }

    public GgufWriter putUint32(String key, long v) {
        return put(key, new Value(UINT32, v, -1));
    }

    public GgufWriter putInt32(String key, int v) {
        return put(key, new Value(INT32, v, -1));
    }

    public GgufWriter putFloat32(String key, float v) {
        return put(key, new Value(FLOAT32, v, -1));
    }

    public GgufWriter putBool(String key, boolean v) {
        return put(key, new Value(BOOL, v, -1));
    }

    public GgufWriter putStrings(String key, List<String> v) {
        return put(key, new Value(ARRAY, List.copyOf(v), STRING));
    }

    public GgufWriter putInt32s(String key, int[] v) {
        return put(key, new Value(ARRAY, v.clone(), INT32));
    }

    private GgufWriter put(String key, Value v) {
        if (metadata.containsKey(key)) {
            throw new IllegalArgumentException("metadata key " + key + " is set twice");
        }
        metadata.put(key, v);
        return this;
    }

    /** Adds a tensor; {@code values} are in row-major order of {@code shape}. */
    public GgufWriter addTensor(String name, long[] shape, GgmlType type, float[] values) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(name + ": shape " + java.util.Arrays.toString(shape) + " holds " + n
                    + " values, not " + values.length);
        }
        if (shape[shape.length - 1] % type.blockSize() != 0) {
            throw new IllegalArgumentException(name + ": rows of " + shape[shape.length - 1] + " values cannot be packed"
                    + " in " + type + " blocks of " + type.blockSize());
        }
        if (tensors.stream().anyMatch(t -> t.name().equals(name))) {
            throw new IllegalArgumentException("tensor " + name + " is added twice");
        }
        tensors.add(new Tensor(name, shape.clone(), type, type.encode(values)));
        return this;
    }

    public void write(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); WritableByteChannel ch = Channels.newChannel(os)) {
                Buf head = new Buf();
                head.u32(0x46554747); // "GGUF"
                head.u32(VERSION);
                head.u64(tensors.size());
                head.u64(metadata.size() + 1);
                head.string("general.alignment");
                head.u32(UINT32);
                head.u32(ALIGNMENT);
                for (Map.Entry<String, Value> e : metadata.entrySet()) {
                    head.string(e.getKey());
                    head.u32(e.getValue().type());
                    head.value(e.getValue());
                }
                long offset = 0;
                for (Tensor t : tensors) {
                    head.string(t.name());
                    head.u32(t.shape().length);
                    for (int d = t.shape().length - 1; d >= 0; d--) {
                        head.u64(t.shape()[d]); // ggml's ne[0] is the innermost dimension
                    }
                    head.u32(t.type().id());
                    head.u64(offset);
                    offset = align(offset + t.data().remaining());
                }
                head.pad();
                ch.write(head.flip());
                for (Tensor t : tensors) {
                    int n = t.data().remaining();
                    ch.write(t.data().duplicate());
                    int pad = (int) (align(n) - n);
                    if (pad > 0) {
                        ch.write(ByteBuffer.allocate(pad));
                    }
                }
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static long align(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A growing little-endian buffer for the header. */
    private static final class Buf {
        private ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void room(int n) {
            if (b.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n))
                        .order(ByteOrder.LITTLE_ENDIAN);
                b.flip();
                bigger.put(b);
                b = bigger;
            }
        }

        void u32(long v) {
            room(4);
            b.putInt((int) v);
        }

        void u64(long v) {
            room(8);
            b.putLong(v);
        }

        void string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            u64(bytes.length);
            room(bytes.length);
            b.put(bytes);
        }

        void value(Value v) {
            switch (v.type()) {
                case STRING -> string((String) v.value());
                case UINT32 -> u32((Long) v.value());
                case INT32 -> u32((Integer) v.value());
                case FLOAT32 -> {
                    room(4);
                    b.putFloat((Float) v.value());
                }
                case BOOL -> {
                    room(1);
                    b.put((byte) ((Boolean) v.value() ? 1 : 0));
                }
                case ARRAY -> {
                    u32(v.elementType());
                    if (v.elementType() == STRING) {
                        @SuppressWarnings("unchecked")
                        List<String> items = (List<String>) v.value();
                        u64(items.size());
                        for (String s : items) {
                            string(s);
                        }
                    } else {
                        int[] items = (int[]) v.value();
                        u64(items.length);
                        for (int i : items) {
                            u32(i);
                        }
                    }
                }
                default -> throw new AssertionError("type " + v.type());
            }
        }

        void pad() {
            int n = (int) (align(b.position()) - b.position());
            room(n);
            b.put(new byte[n]);
        }

        ByteBuffer flip() {
            return b.flip();
        }
    }
}
