package io.jtune.finetune.io.gguf;

import io.jtune.finetune.io.safetensors.HalfFloats;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The ggml tensor types jtune writes, with ggml's type ids and block layouts: F32, F16, and the
 * 32-element block quantizations Q8_0 (an f16 scale and 32 int8 values) and Q4_0 (an f16 scale and
 * 32 4-bit values offset by 8), encoded as ggml's reference quantizers do.
 */
public enum GgmlType {
    F32(0, 1, 4),
    F16(1, 1, 2),
    Q4_0(2, 32, 18),
    Q8_0(8, 32, 34);

    private final int id;
    private final int blockSize;
    private final int blockBytes;

    GgmlType(int id, int blockSize, int blockBytes) {
        this.id = id;
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** ggml's {@code enum ggml_type} value. */
    public int id() {
        return id;
    }

    public int blockSize() {
        return blockSize;
    }

    /** Bytes of {@code n} values (n a multiple of the block size). */
    public long bytes(long n) {
        if (n % blockSize != 0) {
            throw new IllegalArgumentException(this + " packs blocks of " + blockSize + " values; " + n + " is not a multiple");
        }
        return n / blockSize * blockBytes;
    }

    /** C's {@code roundf}: halves away from zero (Math.round takes -2.5 to -2). */
    static int roundHalfAway(float x) {
        return (int) (x < 0 ? -Math.floor(-(double) x + 0.5) : Math.floor((double) x + 0.5));
    }

    public static GgmlType parse(String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "f32" -> F32;
            case "f16" -> F16;
            case "q8_0" -> Q8_0;
            case "q4_0" -> Q4_0;
            default -> throw new IllegalArgumentException("GGUF type '" + s + "' is not one of f32, f16, q8_0, q4_0");
        };
    }

    /** The values encoded in this type, little-endian, rows laid out one after another. */
    public ByteBuffer encode(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(bytes(v.length))).order(ByteOrder.LITTLE_ENDIAN);
        switch (this) {
            case F32 -> {
                for (float f : v) {
                    b.putFloat(f);
                }
            }
            case F16 -> {
                for (float f : v) {
                    b.putShort(HalfFloats.floatToF16(f));
                }
            }
            case Q8_0 -> {
                for (int start = 0; start < v.length; start += 32) {
                    float amax = 0;
                    for (int i = 0; i < 32; i++) {
                        amax = Math.max(amax, Math.abs(v[start + i]));
                    }
                    float d = amax / 127f;
                    float id = d != 0 ? 1f / d : 0f;
                    b.putShort(HalfFloats.floatToF16(d));
                    for (int i = 0; i < 32; i++) {
                        b.put((byte) roundHalfAway(v[start + i] * id));
                    }
                }
            }
            case Q4_0 -> {
                for (int start = 0; start < v.length; start += 32) {
                    float amax = 0;
                    float max = 0;
                    for (int i = 0; i < 32; i++) {
                        float x = v[start + i];
                        if (Math.abs(x) > amax) {
                            amax = Math.abs(x);
                            max = x;
                        }
                    }
                    float d = max / -8f;
                    float id = d != 0 ? 1f / d : 0f;
                    b.putShort(HalfFloats.floatToF16(d));
                    for (int j = 0; j < 16; j++) {
                        int lo = Math.min(15, (int) (byte) (v[start + j] * id + 8.5f));
                        int hi = Math.min(15, (int) (byte) (v[start + j + 16] * id + 8.5f));
                        b.put((byte) (lo | (hi << 4)));
                    }
                }
            }
            default -> throw new AssertionError(this);
        }
        return b.flip();
    }
}
