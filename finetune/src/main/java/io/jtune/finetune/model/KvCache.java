package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of the positions seen so far, per layer, preallocated as [B, K, capacity, D] so
 * that each step writes its new positions in place instead of concatenating (which would copy the
 * whole cache every token). Owns its manager; close it when the generation ends.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private final int capacity;
    private int length;

    public KvCache(NDManager parent, ModelConfig config, int batch, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a KV cache needs a capacity of at least 1, got " + capacity);
        }
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.keys = new NDArray[config.numLayers()];
        this.values = new NDArray[config.numLayers()];
        Shape shape = new Shape(batch, config.numKvHeads(), capacity, config.headDim());
        for (int i = 0; i < keys.length; i++) {
            keys[i] = manager.zeros(shape, DataType.FLOAT32);
            values[i] = manager.zeros(shape, DataType.FLOAT32);
        }
    }

    /** Positions already cached (P). */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Writes this step's k and v [B, K, T, D] of {@code layer} after the cached positions and returns
     * views of all positions [B, K, P+T, D], attached to {@code scope}.
     */
    NDArray[] append(int layer, NDArray k, NDArray v, NDManager scope) {
        int t = (int) k.getShape().get(2);
        int end = length + t;
        if (end > capacity) {
            throw new IllegalStateException("KV cache full: " + end + " positions > capacity " + capacity);
        }
        keys[layer].set(new ai.djl.ndarray.index.NDIndex(":, :, {}:{}", length, end), k);
        values[layer].set(new ai.djl.ndarray.index.NDIndex(":, :, {}:{}", length, end), v);
        NDArray kAll = Scopes.own(keys[layer].get(":, :, :{}", end), scope);
        NDArray vAll = Scopes.own(values[layer].get(":, :, :{}", end), scope);
        return new NDArray[] {kAll, vAll};
    }

    /** Marks {@code t} more positions as cached, after every layer has appended them. */
    void advance(int t) {
        length += t;
    }

    @Override
    public void close() {
        manager.close();
    }
}
