package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.util.Set;

/**
 * Where {@link CausalLm#build} takes a model's weights from, one tensor at a time and under Hugging
 * Face tensor names: an in-memory map ({@link TensorMapWeights}) or safetensors files
 * ({@link SafetensorsWeights}), which read each tensor only when it is taken.
 *
 * <p>Every tensor is taken or skipped at most once; what is left untaken when the model is built
 * is an error (weights the config does not use). Arrays a source hands out live in the manager
 * of the model being built, which owns them from then on. {@link CausalLm} checks the shape and
 * type of everything it takes, whatever the source.
 */
public interface WeightSource extends AutoCloseable {
    /** Whether a tensor of this name is still there to take. */
    boolean contains(String name);

    /**
     * Takes the named tensor as an f32 array of {@code shape}. A missing tensor or a wrong shape
     * is an {@link IllegalArgumentException} naming the tensor.
     */
    NDArray take(String name, long... shape) throws IOException;

    /** Drops the named tensor, if there, without reading it. */
    void skip(String name);

    /** The names neither taken nor skipped, in the source's order. */
    Set<String> untaken();

    /**
     * The storage of projection {@code module}'s weight (the tensor {@code module + ".weight"}, [out,
     * in]): by default {@code policy} stores the f32 tensor. A source of weights that are already
     * quantized overrides this to hand over its own storage.
     */
    default WeightStorage projection(String module, long[] shape, StoragePolicy policy) throws IOException {
        return policy.store(module, take(module + ".weight", shape));
    }

    /** Releases what the source holds (open files, tensors never taken). */
    @Override
    void close();
}
