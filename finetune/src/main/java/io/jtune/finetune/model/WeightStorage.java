package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;

/**
 * How a {@link Linear} keeps its weight: dense (f32 on CPU, {@link DenseWeight}) now, NF4 blocks
 * with their scales later. Either way the layer asks for the dense [out, in] matrix it multiplies by.
 */
public interface WeightStorage extends AutoCloseable {
    /** The weight as a dense [out, in] matrix; for quantized storage a dequantized temporary in {@code scope}. */
    NDArray dense(ai.djl.ndarray.NDManager scope);

    /** [out, in]. */
    long[] shape();

    /** Bytes this storage holds in memory. */
    long bytes();

    /** A short name of the storage kind, e.g. "f32" or "nf4". */
    String kind();

    @Override
    void close();
}
