package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * How a {@link Linear} keeps its weight: dense (f32 on CPU, {@link DenseWeight}) now, NF4 blocks
 * with their scales later. Either way the layer asks for the dense [out, in] matrix it multiplies by.
 */
public interface WeightStorage extends AutoCloseable {
    /** The weight as a dense [out, in] matrix; for quantized storage a dequantized temporary in {@code scope}. */
    NDArray dense(NDManager scope);

    /** [out, in]. */
    long[] shape();

    /** Bytes this storage holds in memory. */
    long bytes();

    /** A short name of the storage kind, e.g. "float32" or "nf4". */
    String kind();

    /**
     * Whether a trainer can update this weight in place (a dense floating-point array); quantized
     * storage cannot, and is trained through an adapter instead.
     */
    default boolean differentiable() {
        return false;
    }

    @Override
    void close();
}
