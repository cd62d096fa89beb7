package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.atomic.AtomicInteger;

/** A test storage around a dense weight that counts how often a forward pass reads it. */
final class CountingStorage implements WeightStorage {
    private final DenseWeight inner;
    private final String kind;
    private final long bytes;
    final AtomicInteger reads = new AtomicInteger();

    /** Reports {@code kind} and {@code bytes} as a quantized storage would, and cannot be trained. */
    CountingStorage(NDArray weight, String kind, long bytes) {
        this.inner = new DenseWeight(weight);
        this.kind = kind;
        this.bytes = bytes;
    }

    @Override
    public NDArray dense(NDManager scope) {
        reads.incrementAndGet();
        return inner.dense(scope);
    }

    @Override
    public long[] shape() {
        return inner.shape();
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public void close() {
        inner.close();
    }
}
