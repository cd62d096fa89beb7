package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.jtune.finetune.io.safetensors.ShardedSafetensors;
import io.jtune.finetune.io.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a Hugging Face model folder ({@code config.json} and {@code model.safetensors} or its
 * shards) into a {@link CausalLm} with f32 weights. Each tensor is read (bf16 and f16 widened in
 * Java: the engine has no bf16) straight into the direct buffer that becomes the tensor's memory,
 * so loading holds one copy of the weights. That memory counts against the JVM's
 * {@code -XX:MaxDirectMemorySize} (by default the maximum heap size).
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

    private static ByteBuffer allocate(String name, long bytes) throws IOException {
        try {
            return ByteBuffer.allocateDirect((int) bytes);
        } catch (OutOfMemoryError e) {
            throw new IOException("no direct memory left for tensor '" + name + "' (" + bytes / 1_000_000
                    + " MB): start the JVM with a larger -XX:MaxDirectMemorySize (in the kernelspec: ./jtune install"
                    + " --java-opts \"... -XX:MaxDirectMemorySize=64g\")", e);
        }
    }

    public static CausalLm load(Path modelDir, NDManager manager) throws IOException {
        ModelConfig config = ModelConfigReader.read(modelDir);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (ShardedSafetensors weights = ShardedSafetensors.open(modelDir)) {
            for (String name : weights.names()) {
                TensorInfo info = weights.info(name);
                if (info.numel() > Integer.MAX_VALUE / 4) {
                    throw new IOException(modelDir + ": tensor '" + name + "' of " + info.numel()
                            + " elements is too large for one buffer");
                }
                ByteBuffer data = allocate(name, info.numel() * 4).order(ByteOrder.nativeOrder());
                weights.readAsF32(name, data.asFloatBuffer());
                // From a direct ByteBuffer the engine uses this memory as the tensor's (and keeps the
                // buffer alive with it): the weights exist once, with no scratch copy.
                tensors.put(name, manager.create(data, new Shape(info.shape()), DataType.FLOAT32));
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
