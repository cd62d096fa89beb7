package io.jtune.finetune.model;

import io.jtune.finetune.io.hub.ModelLocator;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.quant.Quantization;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A model with its tokenizer and the folder it came from, as a notebook holds it: what
 * {@code %load_model} binds, and what {@code %lora}, {@code %train}, {@code %eval} and
 * {@code %merge} work on. It carries the LoRA adapter attached to it, if any.
 */
public final class LoadedModel implements AutoCloseable {
    private final String name;
    private final Path dir;
    private final CausalLm model;
    private final Tokenizer tokenizer;
    private final Quantization quantization;
    private LoraModel adapter;

    public LoadedModel(String name, Path dir, CausalLm model, Tokenizer tokenizer, Quantization quantization) {
        this.name = Objects.requireNonNull(name, "name");
        this.dir = Objects.requireNonNull(dir, "dir");
        this.model = Objects.requireNonNull(model, "model");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.quantization = Objects.requireNonNull(quantization, "quantization");
    }

    /**
     * Loads {@code source} (a folder, a Hugging Face cache entry or Hub id, or {@code base} for the
     * built-in base model) with its tokenizer.
     */
    public static LoadedModel load(String source, Quantization quantization) throws IOException {
        Path dir = ModelLocator.fromEnvironment((f, d, t) -> {}).locate(source);
        Tokenizer tok = Tokenizer.load(dir);
        try {
            return new LoadedModel(source, dir, ModelLoader.load(dir, quantization), tok, quantization);
        } catch (IOException | RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public CausalLm model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Quantization quantization() {
        return quantization;
    }

    public Optional<LoraModel> adapter() {
        return Optional.ofNullable(adapter);
    }

    /** Records the adapter attached to this model (null: none, after a merge). */
    public void setAdapter(LoraModel adapter) {
        if (adapter != null && adapter.model() != model) {
            throw new IllegalArgumentException("the adapter belongs to another model");
        }
        this.adapter = adapter;
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }

    @Override
    public String toString() {
        return name + " (" + dir + ", " + String.format("%,d", model.config().parameterCount()) + " parameters"
                + (quantization == Quantization.NONE ? "" : ", " + quantization.id()) + (adapter != null ? ", " + adapter : "")
                + ")";
    }
}
