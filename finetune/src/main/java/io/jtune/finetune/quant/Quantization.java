package io.jtune.finetune.quant;

import io.jtune.finetune.model.StoragePolicy;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a model's frozen projection weights are stored when it is loaded ({@code quant=...}). */
public enum Quantization {
    /** Dense float32, as read. */
    NONE("none"),
    /** NF4 with double quantization (QLoRA), see {@link Nf4Policy}. */
    NF4("nf4");

    private final String id;

    Quantization(String id) {
        this.id = id;
    }

    /** The name users write, e.g. {@code nf4}. */
    public String id() {
        return id;
    }

    /** A fresh policy for one model being loaded. */
    public StoragePolicy policy() {
        return this == NF4 ? new Nf4Policy() : StoragePolicy.DENSE;
    }

    /** {@code none} or {@code nf4} (any case); an unknown name is an error listing the known ones. */
    public static Quantization parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Quantization q : values()) {
            if (q.id.equals(n)) {
                return q;
            }
        }
        throw new IllegalArgumentException("unknown quantization '" + name + "'; use one of "
                + Arrays.stream(values()).map(Quantization::id).collect(Collectors.joining(", ")));
    }
}
