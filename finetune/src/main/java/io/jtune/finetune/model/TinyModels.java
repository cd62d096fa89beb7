package io.jtune.finetune.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.finetune.io.safetensors.SafetensorsWriter;
import io.jtune.finetune.io.safetensors.TensorData;
import io.jtune.finetune.tokenize.bpe.ByteLevelBpe;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes complete Hugging Face model folders for small Llama and Qwen2 configs from a seed:
 * {@code config.json}, {@code model.safetensors}, {@code tokenizer.json} and
 * {@code tokenizer_config.json} (a byte-level BPE learned from a built-in text, with a ChatML chat
 * template) and {@code generation_config.json}. The weights are random (transformers' init, std
 * 0.02), so the model says nothing sensible until it is trained: that is what tests, notebooks and
 * the offline demo start from.
 */
public final class TinyModels {
    /** A size of tiny model. */
    public record Spec(String name, Architecture architecture, int vocabSize, int hiddenSize, int intermediateSize,
            int layers, int heads, int kvHeads, boolean tied, int maxPositions) {}

    /** About 100k parameters: for unit tests. */
    public static final Spec TEST_LLAMA = new Spec("jtune-tiny-llama", Architecture.LLAMA, 384, 64, 192, 2, 4, 2, false, 512);
    /** The Qwen2 flavour (q/k/v biases, tied embeddings). */
    public static final Spec TEST_QWEN2 = new Spec("jtune-tiny-qwen2", Architecture.QWEN2, 384, 64, 192, 2, 4, 2, true, 512);
    /** About 3M parameters (a 768-token vocabulary: what the built-in text supports): big enough to learn a small task on a laptop CPU in minutes. */
    public static final Spec DEMO_LLAMA = new Spec("jtune-demo-llama", Architecture.LLAMA, 768, 256, 688, 4, 8, 4, true, 1024);

    /** ChatML, as used by Qwen2 and SmolLM2; no default system prompt. */
    public static final String CHAT_TEMPLATE = "{% for message in messages %}"
            + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
            + "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    private TinyModels() {}

    /** Writes the model folder {@code dir} (created if needed) and returns its config. */
    public static ModelConfig write(Path dir, Spec spec, long seed) throws IOException {
        return write(dir, spec, seed, trainingText());
    }

    /**
     * Writes the model folder {@code dir} with random weights (normal, std 0.02) and a byte-level
     * BPE tokenizer whose merges are learned from {@code tokenizerText}; returns its config.
     */
    public static ModelConfig write(Path dir, Spec spec, long seed, String tokenizerText) throws IOException {
        Files.createDirectories(dir);
        ByteLevelBpe bpe = ByteLevelBpe.builder()
                .trainingText(tokenizerText)
                .vocabSize(spec.vocabSize())
                .extraSpecialTokens(IM_START, IM_END)
                .chatTemplate(CHAT_TEMPLATE)
                .modelMaxLength(spec.maxPositions())
                .build();
        bpe.write(dir);
        int bos = bpe.specialTokenId(ByteLevelBpe.DEFAULT_BOS);
        int eos = bpe.specialTokenId(ByteLevelBpe.DEFAULT_EOS);
        int imEnd = bpe.specialTokenId(IM_END);
        int pad = bpe.specialTokenId(ByteLevelBpe.DEFAULT_PAD);
        int heads = spec.heads();
        ModelConfig config = new ModelConfig(spec.architecture(), bpe.vocabSize(), spec.hiddenSize(),
                spec.intermediateSize(), spec.layers(), heads, spec.kvHeads(), spec.hiddenSize() / heads, 1e-6,
                spec.architecture() == Architecture.QWEN2 ? 1_000_000 : 10_000, null, spec.tied(), spec.maxPositions(),
                "float32", bos, new int[] {eos});
        writeJson(dir.resolve("config.json"), configJson(config, spec));
        ObjectNode gen = MAPPER.createObjectNode().put("bos_token_id", bos);
        gen.putArray("eos_token_id").add(eos).add(imEnd);
        gen.put("pad_token_id", pad);
        writeJson(dir.resolve("generation_config.json"), gen);
        List<TensorData> tensors = new ArrayList<>();
        Map<String, long[]> shapes = RandomWeights.shapes(config);
        RandomWeights.values(config, seed, 0.02, 0.0).forEach((name, v) -> tensors.add(TensorData.f32(name, shapes.get(name), v)));
        SafetensorsWriter.write(dir.resolve("model.safetensors"), tensors);
        return config;
    }

    /** config.json as transformers writes it for this architecture. */
    static ObjectNode configJson(ModelConfig c, Spec spec) {
        ObjectNode j = MAPPER.createObjectNode();
        String cls = switch (c.architecture()) {
            case LLAMA -> "LlamaForCausalLM";
            case MISTRAL -> "MistralForCausalLM";
            case QWEN2 -> "Qwen2ForCausalLM";
        };
        j.putArray("architectures").add(cls);
        j.put("attention_dropout", 0.0);
        j.put("bos_token_id", c.bosTokenId());
        ArrayNode eos = j.putArray("eos_token_id");
        for (int e : c.eosTokenIds()) {
            eos.add(e);
        }
        if (c.architecture() == Architecture.LLAMA) {
            j.put("attention_bias", false);
            j.put("head_dim", c.headDim());
            j.put("mlp_bias", false);
            j.put("pretraining_tp", 1);
        }
        j.put("hidden_act", "silu");
        j.put("hidden_size", c.hiddenSize());
        j.put("initializer_range", 0.02);
        j.put("intermediate_size", c.intermediateSize());
        j.put("max_position_embeddings", c.maxPositionEmbeddings());
        j.put("model_type", c.architecture().modelType());
        j.put("num_attention_heads", c.numHeads());
        j.put("num_hidden_layers", c.numLayers());
        j.put("num_key_value_heads", c.numKvHeads());
        j.put("rms_norm_eps", c.rmsNormEps());
        j.putNull("rope_scaling");
        j.put("rope_theta", c.ropeTheta());
        if (c.architecture() == Architecture.QWEN2) {
            j.put("sliding_window", c.maxPositionEmbeddings());
            j.put("use_sliding_window", false);
            j.put("max_window_layers", c.numLayers());
        }
        j.put("tie_word_embeddings", c.tieWordEmbeddings());
        j.put("torch_dtype", "float32");
        j.put("use_cache", true);
        j.put("vocab_size", c.vocabSize());
        j.put("_name_or_path", spec.name());
        return j;
    }

    /** The built-in text the tiny tokenizers learn their merges from (written for jtune). */
    public static String trainingText() {
        try (InputStream in = TinyModels.class.getResourceAsStream("/io/jtune/finetune/model/tiny-corpus.txt")) {
            if (in == null) {
                throw new IllegalStateException("tiny-corpus.txt is missing from the jtune-finetune jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in tokenizer corpus", e);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static void writeJson(Path file, ObjectNode json) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, MAPPER.writeValueAsString(json) + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
