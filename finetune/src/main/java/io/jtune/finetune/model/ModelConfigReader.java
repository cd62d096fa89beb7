package io.jtune.finetune.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.io.FileKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a Hugging Face {@code config.json} into a {@link ModelConfig}, with the defaults of
 * transformers' LlamaConfig, MistralConfig and Qwen2Config for fields left out. Anything jtune
 * cannot run (another model_type, biases where Llama has none, another activation or rope
 * scaling) is refused with a message naming the file and the field.
 */
public final class ModelConfigReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelConfigReader() {}

    /** Reads {@code config.json} of a model folder (or the given file). */
    public static ModelConfig read(Path path) throws IOException {
        Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
        if (FileKinds.existsButNotRegular(file)) {
            throw new IOException(file + ": " + FileKinds.notRegular(file));
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no config.json (is this a Hugging Face model folder?)");
        }
        JsonNode json;
        try {
            json = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        try {
            return parse(json);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses config.json content; errors are {@code field: what is wrong}. */
    public static ModelConfig parse(JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("config.json must hold a JSON object, got " + json.getNodeType());
        }
        ConfigFields f = ConfigFields.of(json);
        Architecture arch = Architecture.fromModelType(f.text("model_type", null));
        String act = f.text("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new IllegalArgumentException("hidden_act: '" + act + "' is not supported (only silu)");
        }
        if (f.bool("attention_bias", false) && arch != Architecture.QWEN2) {
            throw new IllegalArgumentException("attention_bias: true is not supported for " + arch.modelType());
        }
        if (f.bool("mlp_bias", false)) {
            throw new IllegalArgumentException("mlp_bias: true is not supported");
        }
        int hidden = f.integer("hidden_size", null, 1);
        int heads = f.integer("num_attention_heads", null, 1);
        int kvHeads = f.integer("num_key_value_heads", heads, 1);
        int headDim = f.has("head_dim") ? f.integer("head_dim", null, 1) : derivedHeadDim(hidden, heads);
        int vocab = f.integer("vocab_size", null, 1);
        ConfigFields ropeParams = f.object("rope_parameters");
        ConfigFields ropeScaling = f.object("rope_scaling");
        return new ModelConfig(
                arch,
                vocab,
                hidden,
                f.integer("intermediate_size", null, 1),
                f.integer("num_hidden_layers", null, 1),
                heads,
                kvHeads,
                headDim,
                f.positive("rms_norm_eps", 1e-6),
                ropeParams != null && ropeParams.has("rope_theta")
                        ? ropeParams.positive("rope_theta", null)
                        : f.positive("rope_theta", 10000.0),
                ropeScaling(ropeParams != null ? ropeParams : ropeScaling),
                f.bool("tie_word_embeddings", false),
                f.integer("max_position_embeddings", defaultMaxPositions(arch), 1),
                f.text("torch_dtype", f.text("dtype", "float32")),
                f.has("bos_token_id") ? tokenId(f, "bos_token_id", vocab) : null,
                eosIds(f, vocab));
    }

    /** transformers' default: hidden_size // num_attention_heads. */
    private static int derivedHeadDim(int hidden, int heads) {
        if (hidden < heads) {
            throw new IllegalArgumentException("head_dim: hidden_size (" + hidden + ") / num_attention_heads ("
                    + heads + ") is 0; give head_dim or fewer heads");
        }
        return hidden / heads;
    }

    private static int defaultMaxPositions(Architecture a) {
        return switch (a) {
            case LLAMA -> 2048;
            case MISTRAL -> 4096 * 32;
            case QWEN2 -> 32768;
        };
    }

    /**
     * transformers 5 writes rope_parameters {rope_type, rope_theta, ...}; 4.x rope_theta and
     * rope_scaling. Both name the type in {@code rope_type} (older files: {@code type}).
     */
    private static RopeScaling ropeScaling(ConfigFields n) {
        if (n == null) {
            return null;
        }
        String typeField = n.has("rope_type") ? "rope_type" : "type";
        String type = n.text(typeField, "default");
        if (type.equals("default")) {
            return null;
        }
        if (!type.equals("llama3")) {
            throw new IllegalArgumentException(n.name(typeField) + ": '" + type + "' is not supported (only llama3)");
        }
        double low = n.positive("low_freq_factor", null);
        double high = n.positive("high_freq_factor", null);
        if (high <= low) {
            throw new IllegalArgumentException(n.name("high_freq_factor") + ": must be greater than low_freq_factor ("
                    + low + "), got " + high);
        }
        return new RopeScaling(
                n.positive("factor", null), low, high, n.integer("original_max_position_embeddings", null, 1));
    }

    private static int tokenId(ConfigFields f, String field, int vocab) {
        int id = f.integer(field, null, 0);
        if (id >= vocab) {
            throw new IllegalArgumentException(field + ": " + id + " is not below vocab_size (" + vocab + ")");
        }
        return id;
    }

    private static int[] eosIds(ConfigFields f, int vocab) {
        JsonNode n = f.present("eos_token_id");
        if (n == null) {
            return new int[0];
        }
        if (!n.isArray()) {
            if (!n.isIntegralNumber()) {
                throw f.wrong("eos_token_id", "must be an integer or a list of integers", n);
            }
            return new int[] {tokenId(f, "eos_token_id", vocab)};
        }
        int[] ids = new int[n.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode id = n.get(i);
            String field = "eos_token_id[" + i + "]";
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                throw f.wrong(field, "must be an integer", id);
            }
            ids[i] = id.asInt();
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IllegalArgumentException(field + ": " + ids[i] + " is not in [0, vocab_size = " + vocab + ")");
            }
        }
        return ids;
    }
}
