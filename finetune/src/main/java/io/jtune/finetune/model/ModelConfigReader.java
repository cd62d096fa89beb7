package io.jtune.finetune.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    /** Parses config.json content; errors name the field. */
    public static ModelConfig parse(JsonNode json) {
        if (!json.isObject()) {
            throw new IllegalArgumentException("config.json must hold a JSON object");
        }
        Architecture arch = Architecture.fromModelType(text(json, "model_type", null));
        String act = text(json, "hidden_act", "silu");
        if (!act.equals("silu")) {
            throw new IllegalArgumentException("hidden_act '" + act + "' is not supported (only silu)");
        }
        if (arch != Architecture.QWEN2 && json.path("attention_bias").asBoolean(false)) {
            throw new IllegalArgumentException("attention_bias: true is not supported for " + arch.modelType());
        }
        if (json.path("mlp_bias").asBoolean(false)) {
            throw new IllegalArgumentException("mlp_bias: true is not supported");
        }
        int hidden = integer(json, "hidden_size", null);
        int heads = integer(json, "num_attention_heads", null);
        int kvHeads = integer(json, "num_key_value_heads", heads);
        JsonNode hd = json.get("head_dim");
        int headDim = hd == null || hd.isNull() ? hidden / heads : integer(json, "head_dim", null);
        return new ModelConfig(
                arch,
                integer(json, "vocab_size", null),
                hidden,
                integer(json, "intermediate_size", null),
                integer(json, "num_hidden_layers", null),
                heads,
                kvHeads,
                headDim,
                number(json, "rms_norm_eps", 1e-6),
                ropeTheta(json),
                ropeScaling(json.hasNonNull("rope_parameters") ? json.get("rope_parameters") : json.get("rope_scaling")),
                json.path("tie_word_embeddings").asBoolean(false),
                integer(json, "max_position_embeddings", defaultMaxPositions(arch)),
                text(json, "torch_dtype", text(json, "dtype", "float32")),
                json.hasNonNull("bos_token_id") ? integer(json, "bos_token_id", null) : null,
                eosIds(json.get("eos_token_id")));
    }

    private static int defaultMaxPositions(Architecture a) {
        return switch (a) {
            case LLAMA -> 2048;
            case MISTRAL -> 4096 * 32;
            case QWEN2 -> 32768;
        };
    }

    /** transformers 5 writes rope_parameters {rope_type, rope_theta, ...}; 4.x rope_theta and rope_scaling. */
    private static double ropeTheta(JsonNode json) {
        JsonNode params = json.get("rope_parameters");
        if (params != null && params.hasNonNull("rope_theta")) {
            return number(params, "rope_theta", null);
        }
        return number(json, "rope_theta", 10000.0);
    }

    private static RopeScaling ropeScaling(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        String type = n.hasNonNull("rope_type") ? n.get("rope_type").asText() : n.path("type").asText("default");
        if (type.equals("default")) {
            return null;
        }
        if (!type.equals("llama3")) {
            throw new IllegalArgumentException("rope_scaling.rope_type '" + type + "' is not supported (only llama3)");
        }
        return new RopeScaling(
                number(n, "factor", null),
                number(n, "low_freq_factor", null),
                number(n, "high_freq_factor", null),
                integer(n, "original_max_position_embeddings", null));
    }

    private static int[] eosIds(JsonNode n) {
        if (n == null || n.isNull()) {
            return new int[0];
        }
        if (n.isArray()) {
            int[] ids = new int[n.size()];
            for (int i = 0; i < ids.length; i++) {
                if (!n.get(i).canConvertToInt()) {
                    throw new IllegalArgumentException("eos_token_id[" + i + "] is not an integer");
                }
                ids[i] = n.get(i).asInt();
            }
            return ids;
        }
        if (!n.canConvertToInt()) {
            throw new IllegalArgumentException("eos_token_id must be an integer or a list of integers");
        }
        return new int[] {n.asInt()};
    }

    private static String text(JsonNode json, String field, String dflt) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                throw new IllegalArgumentException(field + " is missing");
            }
            return dflt;
        }
        return n.asText();
    }

    private static int integer(JsonNode json, String field, Integer dflt) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                throw new IllegalArgumentException(field + " is missing");
            }
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException(field + " must be an integer, got " + n);
        }
        return n.asInt();
    }

    private static double number(JsonNode json, String field, Double dflt) {
        JsonNode n = json.get(field);
        if (n == null || n.isNull()) {
            if (dflt == null) {
                throw new IllegalArgumentException(field + " is missing");
            }
            return dflt;
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException(field + " must be a number, got " + n);
        }
        return n.asDouble();
    }
}
