package io.jtune.finetune.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.jtune.finetune.io.safetensors.ShardedSafetensors;
import io.jtune.finetune.io.safetensors.TensorSource;
import io.jtune.finetune.model.SafetensorsWeights;
import io.jtune.finetune.model.StoragePolicy;
import io.jtune.finetune.model.WeightSource;
import io.jtune.finetune.model.WeightStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * The weights of a bitsandbytes 4-bit checkpoint ({@link Bnb4bit}'s layout): a projection saved as
 * NF4 is handed over as an {@link Nf4Weight} with its codes and scales as they are in the file (no
 * float32 round trip); every other tensor is read as float32, and a projection saved dense goes
 * through the policy.
 */
public final class Bnb4bitWeights implements WeightSource {
    private final TensorSource files;
    private final SafetensorsWeights dense;
    private final Nf4Tables tables;

    private Bnb4bitWeights(TensorSource files, NDManager manager) throws IOException {
        this.files = files;
        this.dense = new SafetensorsWeights(files, manager);
        this.tables = new Nf4Tables(manager);
    }

    /** The weights of {@code modelDir} ({@code model.safetensors} or shards), read into {@code manager}. */
    public static Bnb4bitWeights open(Path modelDir, NDManager manager) throws IOException {
        ShardedSafetensors files = ShardedSafetensors.open(modelDir);
        try {
            return new Bnb4bitWeights(files, manager);
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    @Override
    public WeightStorage projection(String module, long[] shape, StoragePolicy policy) throws IOException {
        if (!Bnb4bit.holds(files, module)) {
            return dense.projection(module, shape, policy);
        }
        Nf4Tensor t = Bnb4bit.read(files, module);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IllegalArgumentException("tensor '" + module + ".weight' is NF4 of shape "
                    + Arrays.toString(t.shape()) + " but the config needs " + Arrays.toString(shape));
        }
        for (String suffix : Bnb4bit.SUFFIXES) {
            dense.skip(module + ".weight" + suffix);
        }
        return new Nf4Weight(t, tables);
    }

    @Override
    public boolean contains(String name) {
        return dense.contains(name);
    }

    @Override
    public NDArray take(String name, long... shape) throws IOException {
        return dense.take(name, shape);
    }

    @Override
    public void skip(String name) {
        dense.skip(name);
    }

    @Override
    public Set<String> untaken() {
        return dense.untaken();
    }

    /** Closes the files (the tables belong to the model's manager). */
    @Override
    public void close() {
        dense.close();
    }
}
