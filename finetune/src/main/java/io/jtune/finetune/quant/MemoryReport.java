package io.jtune.finetune.quant;

import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.Parameter;

/**
 * What a model's base weights cost in memory, from its {@link CausalLm#parameters()}: all of them,
 * and the decoder projection weights (what NF4 quantizes) against their float32 size.
 *
 * @param parameters base parameter count (a tied head counted once; adapters are not base weights)
 * @param bytes bytes their storage holds
 * @param linearParameters values of the decoder projection weights
 * @param linearBytes bytes those weights hold
 */
public record MemoryReport(long parameters, long bytes, long linearParameters, long linearBytes) {

    public static MemoryReport of(CausalLm model) {
        long params = 0;
        long bytes = 0;
        long linParams = 0;
        long linBytes = 0;
        for (Parameter p : model.parameters()) {
            params += p.numel();
            bytes += p.bytes();
            if (p.name().endsWith(".weight") && Nf4Policy.quantizes(p.name().substring(0, p.name().length() - 7))) {
                linParams += p.numel();
                linBytes += p.bytes();
            }
        }
        return new MemoryReport(params, bytes, linParams, linBytes);
    }

    /** Bytes per base parameter: 4 for float32, about 0.52 for NF4 projections plus float32 embeddings. */
    public double bytesPerParameter() {
        return parameters == 0 ? 0 : (double) bytes / parameters;
    }

    /** The projection weights' bytes over their float32 bytes (1 dense, about 0.129 NF4). */
    public double linearRatioToF32() {
        return linearParameters == 0 ? 0 : (double) linearBytes / (4.0 * linearParameters);
    }

    @Override
    public String toString() {
        return String.format("%,d base parameters, %.1f MB (%.3f bytes per parameter); decoder projections %.1f MB,"
                + " %.3fx their float32 size", parameters, bytes / 1e6, bytesPerParameter(), linearBytes / 1e6,
                linearRatioToF32());
    }
}
