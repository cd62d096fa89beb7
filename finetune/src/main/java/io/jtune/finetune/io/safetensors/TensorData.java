package io.jtune.finetune.io.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor to write: its name, element type, shape and raw bytes (row-major, little-endian,
 * exactly {@code numel * dtype.byteSize()} of them: the buffer's remaining bytes).
 *
 * <p>The record keeps a read-only view of {@code data} from its position to its limit, so writing
 * does not move the caller's buffer; the caller must not change the bytes until they are written.
 * The factory methods copy Java arrays into new little-endian buffers; {@link #ofFloats} narrows
 * floats to F16 or BF16 with round-to-nearest-even. Invalid arguments (a negative dimension, a size
 * that does not match the shape, the reserved name {@code __metadata__}) throw {@link
 * IllegalArgumentException}.
 */
public record TensorData(String name, DType dtype, long[] shape, ByteBuffer data) {

    public TensorData {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (name.equals(SafetensorsHeader.METADATA_KEY)) {
            throw new IllegalArgumentException("'" + SafetensorsHeader.METADATA_KEY + "' is reserved and cannot name a tensor");
        }
        shape = shape.clone();
        long elements = numel(name, shape);
        if (elements > Long.MAX_VALUE / dtype.byteSize()) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " needs more bytes than fit in 64 bits");
        }
        long bytes = elements * dtype.byteSize();
        if (data.remaining() != bytes) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " of "
                    + dtype.safetensorsName() + " needs " + bytes + " bytes but the buffer has " + data.remaining());
        }
        data = data.asReadOnlyBuffer().slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long numel(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                        + " has a negative dimension");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException overflow) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                        + " has more elements than fit in 64 bits");
            }
        }
        return n;
    }

    /** The dimensions (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A read-only little-endian view of the bytes, position 0. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The number of elements. */
    public long numel() {
        return numel(name, shape);
    }

    /** The number of bytes. */
    public long byteLength() {
        return data.capacity();
    }

    /** An F32 tensor holding a copy of {@code values}. */
    public static TensorData f32(String name, long[] shape, float[] values) {
        return ofFloats(name, DType.F32, shape, values);
    }

    /** An F16 tensor holding {@code values} rounded to nearest even. */
    public static TensorData f16(String name, long[] shape, float[] values) {
        return ofFloats(name, DType.F16, shape, values);
    }

    /** A BF16 tensor holding {@code values} rounded to nearest even. */
    public static TensorData bf16(String name, long[] shape, float[] values) {
        return ofFloats(name, DType.BF16, shape, values);
    }

    /** A tensor of the floating-point type {@code dtype} (F64, F32, F16 or BF16) holding {@code values}. */
    public static TensorData ofFloats(String name, DType dtype, long[] shape, float[] values) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("tensor '" + name + "': " + dtype.safetensorsName()
                    + " is not a floating-point type");
        }
        checkCount(name, shape, values.length);
        ByteBuffer b = allocate(values.length, dtype);
        switch (dtype) {
            case F32 -> b.asFloatBuffer().put(values);
            case F64 -> {
                for (float v : values) {
                    b.putDouble(v);
                }
            }
            case F16 -> {
                for (float v : values) {
                    b.putShort(HalfFloats.floatToF16(v));
                }
            }
            case BF16 -> {
                for (float v : values) {
                    b.putShort(HalfFloats.floatToBf16(v));
                }
            }
            default -> throw new IllegalStateException(dtype.toString());
        }
        return new TensorData(name, dtype, shape, b.clear());
    }

    /** An F64 tensor holding a copy of {@code values}. */
    public static TensorData f64(String name, long[] shape, double[] values) {
        checkCount(name, shape, values.length);
        ByteBuffer b = allocate(values.length, DType.F64);
        b.asDoubleBuffer().put(values);
        return new TensorData(name, DType.F64, shape, b);
    }

    /** An I64 tensor holding a copy of {@code values}. */
    public static TensorData i64(String name, long[] shape, long[] values) {
        checkCount(name, shape, values.length);
        ByteBuffer b = allocate(values.length, DType.I64);
        b.asLongBuffer().put(values);
        return new TensorData(name, DType.I64, shape, b);
    }

    /** An I32 tensor holding a copy of {@code values}. */
    public static TensorData i32(String name, long[] shape, int[] values) {
        checkCount(name, shape, values.length);
        ByteBuffer b = allocate(values.length, DType.I32);
        b.asIntBuffer().put(values);
        return new TensorData(name, DType.I32, shape, b);
    }

    /** A U8 tensor holding a copy of {@code values}. */
    public static TensorData u8(String name, long[] shape, byte[] values) {
        checkCount(name, shape, values.length);
        return new TensorData(name, DType.U8, shape, ByteBuffer.wrap(values.clone()));
    }

    private static ByteBuffer allocate(int count, DType dtype) {
        return ByteBuffer.allocate(Math.multiplyExact(count, dtype.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void checkCount(String name, long[] shape, int count) {
        long n = numel(name, shape);
        if (n != count) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " has " + n
                    + " elements but " + count + " values were given");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return "TensorData[" + name + " " + dtype.safetensorsName() + " " + Arrays.toString(shape) + "]";
    }
}
