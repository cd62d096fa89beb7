package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.jtune.finetune.io.ShardedSafetensors;
import io.jtune.finetune.io.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a Hugging Face model folder ({@code config.json} and {@code model.safetensors} or its
 * shards) into a {@link CausalLm} with f32 weights. Tensors are read one at a time through one
 * scratch buffer the size of the largest, so loading holds a single copy of the weights plus that
 * buffer; bf16 and f16 checkpoints are widened in Java (the engine has no bf16).
 */
public final class ModelLoader {
    private ModelLoader() {}

    /** Loads into a new manager that the returned model owns. */
    public static CausalLm load(Path modelDir) throws IOException {
        NDManager manager = NDManager.newBaseManager("PyTorch");
        try {
            return load(modelDir, manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public static CausalLm load(Path modelDir, NDManager manager) throws IOException {
        ModelConfig config = ModelConfigReader.read(modelDir);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (ShardedSafetensors weights = ShardedSafetensors.open(modelDir)) {
            long largest = 0;
            for (String name : weights.names()) {
                largest = Math.max(largest, weights.info(name).numel());
            }
            if (largest > Integer.MAX_VALUE / 4) {
                throw new IOException(modelDir + ": a tensor of " + largest + " elements is too large for one buffer");
            }
            FloatBuffer scratch = ByteBuffer.allocateDirect((int) largest * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (String name : weights.names()) {
                TensorInfo info = weights.info(name);
                scratch.clear();
                scratch.limit((int) info.numel());
                weights.readAsF32(name, scratch);
                scratch.flip();
                // from a FloatBuffer DJL copies into memory of its own, so the scratch buffer can be reused
                tensors.put(name, manager.create(scratch, new Shape(info.shape())));
            }
        } catch (IOException | RuntimeException e) {
            tensors.values().forEach(NDArray::close);
            throw e;
        }
        try {
            return CausalLm.fromTensors(config, manager, tensors);
        } catch (IllegalArgumentException e) {
            throw new IOException(modelDir + ": " + e.getMessage(), e);
        }
    }
}
