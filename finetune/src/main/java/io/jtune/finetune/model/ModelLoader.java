package io.jtune.finetune.model;

import ai.djl.ndarray.NDManager;
import io.jtune.finetune.quant.Bnb4bitCheckpoint;
import io.jtune.finetune.quant.Bnb4bitWeights;
import io.jtune.finetune.quant.Quantization;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads a Hugging Face model folder ({@code config.json} and {@code model.safetensors} or its
 * shards) into a {@link CausalLm}, reading one tensor at a time ({@link SafetensorsWeights}) and
 * letting a {@link StoragePolicy} choose how each projection is kept (dense f32 by default). A
 * bitsandbytes 4-bit checkpoint ({@code quantization_config} in config.json) keeps its NF4
 * projections as saved ({@link Bnb4bitWeights}).
 */
public final class ModelLoader {
    private ModelLoader() {}

    /** Loads with dense f32 weights into a new manager that the returned model owns. */
    public static CausalLm load(Path modelDir) throws IOException {
        return load(modelDir, StoragePolicy.DENSE);
    }

    /**
     * Loads with the projections stored as {@code quant} says ({@code quant=nf4}: every decoder
     * projection NF4, the LM head, embeddings and norms float32), into a new manager the model owns.
     */
    public static CausalLm load(Path modelDir, Quantization quant) throws IOException {
        return load(modelDir, quant.policy());
    }

    /** Loads into a new manager that the returned model owns, each projection stored as {@code policy} says. */
    public static CausalLm load(Path modelDir, StoragePolicy policy) throws IOException {
        NDManager manager = NDManager.newBaseManager("PyTorch");
        try {
            return load(modelDir, manager, policy);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Loads with dense f32 weights into {@code manager}, which the model then uses as its own. */
    public static CausalLm load(Path modelDir, NDManager manager) throws IOException {
        return load(modelDir, manager, StoragePolicy.DENSE);
    }

    /**
     * Loads into {@code manager}; on failure what was already read stays in {@code manager} for the
     * caller to close. Errors start with the folder.
     */
    public static CausalLm load(Path modelDir, NDManager manager, StoragePolicy policy) throws IOException {
        ModelConfig config = ModelConfigReader.read(modelDir);
        try (WeightSource weights = Bnb4bitCheckpoint.isCheckpoint(modelDir)
                ? Bnb4bitWeights.open(modelDir, manager) : SafetensorsWeights.open(modelDir, manager)) {
            return CausalLm.build(config, manager, weights, policy);
        } catch (IllegalArgumentException e) {
            throw new IOException(modelDir + ": " + e.getMessage(), e);
        }
    }
}
