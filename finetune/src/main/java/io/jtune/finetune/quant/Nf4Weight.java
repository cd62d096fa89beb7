package io.jtune.finetune.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import io.jtune.finetune.model.WeightStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A projection weight held as NF4 with double quantization ({@link Nf4Tensor}'s layout) in native
 * memory: packed codes (uint8, n / 2), 8-bit block scales (uint8, n / 64), their float32 scales
 * (n / 16384) and the offset, about 0.516 bytes per value (0.129x float32).
 *
 * <p>{@link #dense} dequantizes into the caller's scope on every call (each forward; autograd keeps
 * that temporary for the backward pass of the step): the scales are gathered from the dynamic map
 * and scaled, the bytes gathered from a [256, 2] table of nibble pairs, and the pairs multiplied by
 * their block's scale. Nothing is cached, so the float32 matrix never outlives the step. The weight
 * cannot be trained in place; attach an adapter.
 */
public final class Nf4Weight implements WeightStorage {
    private final long[] shape;
    private final int numel;
    private final int blocks;
    private final NDArray packed;       // uint8 [ceil(n / 2)]
    private final NDArray absmax;       // uint8 [blocks]
    private final NDArray nestedAbsmax; // f32 [ceil(blocks / 256)]
    private final NDArray offset;       // f32 []
    private final Nf4Tables tables;

    Nf4Weight(Nf4Tensor t, Nf4Tables tables) {
        if (t.shape().length != 2) {
            throw new IllegalArgumentException("a linear weight is [out, in], got " + Arrays.toString(t.shape()));
        }
        NDManager m = tables.manager();
        this.shape = t.shape();
        this.numel = t.numel();
        byte[] codes = t.absmaxView();
        byte[] pairs = t.packedView();
        this.blocks = codes.length;
        this.tables = tables;
        this.packed = m.create(ByteBuffer.wrap(pairs), new Shape(pairs.length), DataType.UINT8);
        this.absmax = m.create(ByteBuffer.wrap(codes), new Shape(blocks), DataType.UINT8);
        this.nestedAbsmax = m.create(t.nestedAbsmax());
        this.offset = m.create(t.offset());
    }

    /** Quantizes a float32 [out, in] array (left open) into a weight whose arrays live in {@code tables}' manager. */
    static Nf4Weight quantize(NDArray weight, Nf4Tables tables) {
        FloatBuffer values = weight.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
        return new Nf4Weight(Nf4Tensor.quantize(values, weight.getShape().getShape()), tables);
    }

    /** The block scales [blocks], float32, in {@code scope}: map[absmax] * nested[b / 256] + offset. */
    NDArray scales(NDManager scope) {
        NDArray q = own(absmax.toType(DataType.INT32, false), scope);
        NDArray mapped = own(Embedding.embedding(q, tables.dynamic(), SparseFormat.DENSE).singletonOrThrow(), scope)
                .reshape(blocks); // [blocks]
        NDArray nested = own(nestedAbsmax.repeat(0, Nf4Tensor.NESTED_BLOCK), scope); // [256 * ceil(blocks / 256)]
        if (nested.getShape().get(0) != blocks) {
            nested = nested.get(new NDIndex(":{}", blocks));
        }
        return mapped.muli(nested).addi(offset);
    }

    /**
     * The dequantized [out, in] matrix in {@code scope}; the temporaries (int32 codes, the scales)
     * are freed before returning, so a forward holds 4 bytes per value for each weight it uses.
     */
    @Override
    public NDArray dense(NDManager scope) {
        try (NDManager tmp = scope.newSubManager()) {
            NDArray scales = scales(tmp); // [blocks]
            NDArray codes = own(packed.toType(DataType.INT32, false), tmp); // [ceil(n / 2)]
            NDArray values = own(Embedding.embedding(codes, tables.pairs(), SparseFormat.DENSE).singletonOrThrow(),
                    tmp); // [ceil(n / 2), 2]: high nibble first
            NDArray w;
            if (numel % Nf4.BLOCK == 0) {
                w = values.reshape(blocks, Nf4.BLOCK).muli(scales.reshape(blocks, 1)).reshape(new Shape(shape));
            } else {
                NDArray perValue = scales.repeat(0, Nf4.BLOCK).get(new NDIndex(":{}", numel));
                NDArray flat = values.reshape(-1);
                if (flat.getShape().get(0) != numel) {
                    flat = flat.get(new NDIndex(":{}", numel));
                }
                w = flat.mul(perValue).reshape(new Shape(shape));
            }
            w.attach(scope);
            return w;
        }
    }

    private static NDArray own(NDArray a, NDManager scope) {
        if (a.getManager() != scope) {
            a.attach(scope);
        }
        return a;
    }

    /** The quantized arrays copied back to Java (for saving). */
    public Nf4Tensor tensor() {
        return new Nf4Tensor(shape, packed.toByteArray(), absmax.toByteArray(), nestedAbsmax.toFloatArray(),
                offset.getFloat());
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Packed codes, 8-bit scales, nested float32 scales and the offset (not the shared tables). */
    @Override
    public long bytes() {
        return packed.size() + absmax.size() + 4 * nestedAbsmax.size() + 4;
    }

    @Override
    public String kind() {
        return "nf4";
    }

    @Override
    public boolean differentiable() {
        return false;
    }

    @Override
    public void close() {
        packed.close();
        absmax.close();
        nestedAbsmax.close();
        offset.close();
    }

    @Override
    public String toString() {
        return "nf4" + Arrays.toString(shape) + " " + bytes() + " B";
    }
}
