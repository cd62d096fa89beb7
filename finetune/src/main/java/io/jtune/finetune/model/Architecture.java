package io.jtune.finetune.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The decoder families jtune runs: all Llama-shaped (RMSNorm, rotary embeddings, grouped-query
 * attention, SwiGLU). Qwen2 adds biases to the q, k and v projections; Mistral's sliding window
 * only matters beyond its window length, which jtune does not support yet (see ModelConfig).
 */
public enum Architecture {
    LLAMA("llama"),
    MISTRAL("mistral"),
    QWEN2("qwen2");

    private final String modelType;

    Architecture(String modelType) {
        this.modelType = modelType;
    }

    /** The {@code model_type} of config.json. */
    public String modelType() {
        return modelType;
    }

    /** Whether q_proj, k_proj and v_proj carry a bias. */
    public boolean qkvBias() {
        return this == QWEN2;
    }

    public static Architecture fromModelType(String modelType) {
        for (Architecture a : values()) {
            if (a.modelType.equals(modelType)) {
                return a;
            }
        }
        throw new IllegalArgumentException("model_type '" + modelType + "' is not supported; supported: " + supported());
    }

    public static String supported() {
        return Arrays.stream(values()).map(Architecture::modelType).collect(Collectors.joining(", "));
    }
}
