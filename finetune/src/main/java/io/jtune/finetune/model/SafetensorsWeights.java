package io.jtune.finetune.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.jtune.finetune.io.safetensors.ShardedSafetensors;
import io.jtune.finetune.io.safetensors.TensorInfo;
import io.jtune.finetune.io.safetensors.TensorSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Weights read from safetensors (one file or a sharded folder) one tensor at a time: a tensor is
 * read, and widened to f32 in Java when stored as bf16 or f16 (the engine has no bf16), only when
 * it is taken, straight into the direct buffer that becomes the array's memory. So loading holds
 * the weights already built plus the one tensor being read, and a {@link StoragePolicy} that
 * quantizes never sees the whole model in f32. That memory counts against the JVM's
 * {@code -XX:MaxDirectMemorySize} (by default the maximum heap size). Closing closes the files.
 */
public final class SafetensorsWeights implements WeightSource {
    private final TensorSource tensors;
    private final NDManager manager;
    private final Set<String> left;

    /** Reads from {@code tensors} (which this source then closes) into arrays in {@code manager}. */
    public SafetensorsWeights(TensorSource tensors, NDManager manager) throws IOException {
        this.tensors = tensors;
        this.manager = manager;
        this.left = new LinkedHashSet<>(tensors.tensors().keySet());
    }

    /** The weights of a model folder: {@code model.safetensors} or its index and shards. */
    public static SafetensorsWeights open(Path modelDir, NDManager manager) throws IOException {
        ShardedSafetensors files = ShardedSafetensors.open(modelDir);
        try {
            return new SafetensorsWeights(files, manager);
        } catch (IOException | RuntimeException e) {
            files.close();
            throw e;
        }
    }

    @Override
    public boolean contains(String name) {
        return left.contains(name);
    }

    @Override
    public NDArray take(String name, long... shape) throws IOException {
        if (!left.contains(name)) {
            throw new IllegalArgumentException("tensor '" + name + "' is missing from the weights");
        }
        TensorInfo info = tensors.info(name);
        if (!new Shape(info.shape()).equals(new Shape(shape))) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + info.shapeText()
                    + " but the config needs " + new Shape(shape));
        }
        if (info.numel() > Integer.MAX_VALUE / 4) {
            throw new IOException("tensor '" + name + "' of " + info.numel() + " elements is too large for one buffer");
        }
        ByteBuffer data = allocate(name, info.numel() * 4).order(ByteOrder.nativeOrder());
        tensors.readAsF32(name, data.asFloatBuffer());
        left.remove(name);
        // From a direct ByteBuffer the engine uses this memory as the array's (and keeps the buffer
        // alive with it): the tensor exists once, with no scratch copy.
        return manager.create(data, new Shape(shape), DataType.FLOAT32);
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

    @Override
    public void skip(String name) {
        left.remove(name);
    }

    @Override
    public Set<String> untaken() {
        return Collections.unmodifiableSet(left);
    }

    @Override
    public void close() {
        tensors.close();
    }
}
