package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** A weight held as it is, a dense [out, in] array owned by the model's manager. */
public final class DenseWeight implements WeightStorage {
    private final NDArray weight;

    public DenseWeight(NDArray weight) {
        if (weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException("a linear weight is [out, in], got " + weight.getShape());
        }
        this.weight = weight;
    }

    @Override
    public NDArray dense(NDManager scope) {
        return weight;
    }

    @Override
    public long[] shape() {
        return weight.getShape().getShape();
    }

    @Override
    public long bytes() {
        return weight.size() * weight.getDataType().getNumOfBytes();
    }

    @Override
    public String kind() {
        return weight.getDataType().name().toLowerCase();
    }

    /** True for a floating-point array. */
    @Override
    public boolean differentiable() {
        return weight.getDataType().isFloating();
    }

    @Override
    public void close() {
        weight.close();
    }
}
