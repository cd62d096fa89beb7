package io.jtune.finetune.io.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a GGUF file's metadata and tensor table, and F32/F16 tensors, for checking an export. Any
 * structural fault (magic, version, a type it does not know, a tensor outside the file) is an error
 * naming the file and the offset.
 */
public final class GgufReader {
    /** One tensor's record: name, numpy-order shape, type id, absolute offset of its data. */
    public record TensorInfo(String name, long[] shape, int type, long offset) {}

    private final Path file;
    private final ByteBuffer b;
    private final Map<String, Object> metadata = new LinkedHashMap<>();
    private final Map<String, TensorInfo> tensors = new LinkedHashMap<>();
    private final long dataStart;

    private GgufReader(Path file, ByteBuffer b) {
        this.file = file;
        this.b = b.order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != 0x46554747) {
            throw fault("not a GGUF file (bad magic)");
        }
        int version = b.getInt();
        if (version != 3) {
            throw fault("GGUF version " + version + ", expected 3");
        }
        long nTensors = b.getLong();
        long nKv = b.getLong();
        for (long i = 0; i < nKv; i++) {
            String key = string();
            metadata.put(key, value(b.getInt()));
        }
        List<TensorInfo> infos = new ArrayList<>();
        for (long i = 0; i < nTensors; i++) {
            String name = string();
            int dims = b.getInt();
            long[] shape = new long[dims];
            for (int d = dims - 1; d >= 0; d--) {
                shape[d] = b.getLong();
            }
            infos.add(new TensorInfo(name, shape, b.getInt(), b.getLong()));
        }
        long alignment = ((Number) metadata.getOrDefault("general.alignment", 32L)).longValue();
        this.dataStart = (b.position() + alignment - 1) / alignment * alignment;
        for (TensorInfo t : infos) {
            if (t.offset() % alignment != 0) {
                throw fault(t.name() + ": data offset " + t.offset() + " is not aligned to " + alignment);
            }
            tensors.put(t.name(), new TensorInfo(t.name(), t.shape(), t.type(), dataStart + t.offset()));
        }
    }

    public static GgufReader open(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new GgufReader(file, ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
        }
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** A tensor of type F32 or F16 as floats, in numpy order. */
    public float[] floats(String name) {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException(file + ": no tensor " + name);
        }
        long n = 1;
        for (long d : t.shape()) {
            n *= d;
        }
        float[] out = new float[Math.toIntExact(n)];
        ByteBuffer d = b.duplicate().order(ByteOrder.LITTLE_ENDIAN).position(Math.toIntExact(t.offset()));
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (t.type()) {
                case 0 -> d.getFloat();
                case 1 -> io.jtune.finetune.io.safetensors.HalfFloats.f16ToFloat(d.getShort());
                default -> throw new IllegalArgumentException(name + " is of ggml type " + t.type() + "; only F32 and F16"
                        + " are read back");
            };
        }
        return out;
    }

    private String string() {
        long n = b.getLong();
        if (n < 0 || n > b.remaining()) {
            throw fault("a string of " + n + " bytes does not fit");
        }
        byte[] bytes = new byte[(int) n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private Object value(int type) {
        return switch (type) {
            case GgufWriter.UINT8 -> (long) Byte.toUnsignedInt(b.get());
            case GgufWriter.INT8 -> (long) b.get();
            case GgufWriter.UINT16 -> (long) Short.toUnsignedInt(b.getShort());
            case GgufWriter.INT16 -> (long) b.getShort();
            case GgufWriter.UINT32 -> Integer.toUnsignedLong(b.getInt());
            case GgufWriter.INT32 -> (long) b.getInt();
            case GgufWriter.FLOAT32 -> (double) b.getFloat();
            case GgufWriter.BOOL -> b.get() != 0;
            case GgufWriter.STRING -> string();
            case GgufWriter.UINT64, GgufWriter.INT64 -> b.getLong();
            case GgufWriter.FLOAT64 -> b.getDouble();
            case GgufWriter.ARRAY -> {
                int et = b.getInt();
                long n = b.getLong();
                List<Object> items = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    items.add(value(et));
                }
                yield items;
            }
            default -> throw fault("metadata type " + type + " is unknown");
        };
    }

    private IllegalArgumentException fault(String what) {
        return new IllegalArgumentException(file + " at byte " + b.position() + ": " + what);
    }
}
