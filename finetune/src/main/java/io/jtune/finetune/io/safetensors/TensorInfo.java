package io.jtune.finetune.io.safetensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * Where one tensor lies in a safetensors file, as described by the file's JSON header.
 *
 * @param name the tensor's name, the header key, such as {@code "model.embed_tokens.weight"}
 * @param dtype the element type
 * @param shape the dimensions, outermost first; an empty array is a scalar (one element)
 * @param dataOffset the absolute position of the tensor's first byte in the file (header length,
 *     header and the tensor's {@code data_offsets} begin added together)
 * @param byteLength the number of bytes the tensor holds: {@code numel() * dtype.byteSize()}
 */
public record TensorInfo(String name, DType dtype, long[] shape, long dataOffset, long byteLength) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
    }

    /** The dimensions (a copy). */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements: the product of the dimensions, 1 for a scalar. */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The shape written as the header writes it, such as {@code [2, 3]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && dataOffset == t.dataOffset
                && byteLength == t.byteLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), dataOffset, byteLength);
    }

    @Override
    public String toString() {
        return name + " " + dtype.safetensorsName() + " " + shapeText()
                + " @" + dataOffset + "+" + byteLength;
    }
}
