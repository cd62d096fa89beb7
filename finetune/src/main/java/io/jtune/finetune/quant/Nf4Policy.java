package io.jtune.finetune.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.jtune.finetune.model.DenseWeight;
import io.jtune.finetune.model.StoragePolicy;
import io.jtune.finetune.model.WeightStorage;
import java.util.List;

/**
 * QLoRA's storage: every decoder projection ({@code model.layers.N.self_attn.q/k/v/o_proj},
 * {@code model.layers.N.mlp.gate/up/down_proj}) becomes an {@link Nf4Weight}; the LM head, which
 * also passes through the policy when it is not tied, stays dense float32, as transformers keeps it
 * out of bitsandbytes' 4-bit conversion (embeddings and norms never reach a policy).
 *
 * <p>Each projection is quantized as soon as it is read and its float32 array closed, so loading
 * holds at most one float32 projection beyond the quantized ones, plus up to 256 MB of closed
 * arrays whose direct buffers wait for the collection the policy asks for every 256 MB. The policy
 * keeps the lookup tables ({@link Nf4Tables}) for the manager of the model being built; use one policy per model
 * being loaded at a time.
 */
public final class Nf4Policy implements StoragePolicy {
    private static final List<String> PROJECTIONS = List.of(".self_attn.q_proj", ".self_attn.k_proj",
            ".self_attn.v_proj", ".self_attn.o_proj", ".mlp.gate_proj", ".mlp.up_proj", ".mlp.down_proj");

    /**
     * Float32 bytes closed since the last collection. A weight read from safetensors lives in a
     * direct buffer that only a garbage collection frees, and loading makes little heap garbage, so
     * without a hint every closed projection would stay resident until the load ends.
     */
    private static final long COLLECT_EVERY_BYTES = 256L << 20;

    private Nf4Tables tables;
    private long released;

    /** Whether {@code module} (a Hugging Face module name) is a decoder projection this policy quantizes. */
    public static boolean quantizes(String module) {
        return module.startsWith("model.layers.") && PROJECTIONS.stream().anyMatch(module::endsWith);
    }

    @Override
    public synchronized WeightStorage store(String module, NDArray weight) {
        if (!quantizes(module)) {
            return new DenseWeight(weight);
        }
        try {
            return Nf4Weight.quantize(weight, tablesFor(weight.getManager()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(module + ".weight: " + e.getMessage(), e);
        } finally {
            released += weight.size() * 4;
            weight.close();
            if (released >= COLLECT_EVERY_BYTES) {
                released = 0;
                System.gc();
            }
        }
    }

    private Nf4Tables tablesFor(NDManager manager) {
        if (tables == null || tables.manager() != manager || !manager.isOpen()) {
            tables = new Nf4Tables(manager);
        }
        return tables;
    }
}
