package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Weights already in memory: Hugging Face tensor names to f32 arrays in the manager of the model
 * they will build (what tests and {@link RandomWeights#source} use). Closing closes the arrays that
 * were never taken.
 */
public final class TensorMapWeights implements WeightSource {
    private final Map<String, NDArray> left;

    public TensorMapWeights(Map<String, NDArray> tensors) {
        this.left = new LinkedHashMap<>(tensors);
    }

    @Override
    public boolean contains(String name) {
        return left.containsKey(name);
    }

    @Override
    public NDArray take(String name, long... shape) {
        NDArray a = left.remove(name);
        if (a == null) {
            throw new IllegalArgumentException("tensor '" + name + "' is missing from the weights");
        }
        if (!a.getShape().equals(new Shape(shape))) {
            left.put(name, a); // still the source's to close
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + a.getShape()
                    + " but the config needs " + new Shape(shape));
        }
        if (a.getDataType() != DataType.FLOAT32) {
            left.put(name, a);
            throw new IllegalArgumentException("tensor '" + name + "' is " + a.getDataType() + "; load weights as f32");
        }
        return a;
    }

    @Override
    public void skip(String name) {
        NDArray a = left.remove(name);
        if (a != null) {
            a.close();
        }
    }

    @Override
    public Set<String> untaken() {
        return Collections.unmodifiableSet(left.keySet());
    }

    @Override
    public void close() {
        left.values().forEach(NDArray::close);
        left.clear();
    }
}
