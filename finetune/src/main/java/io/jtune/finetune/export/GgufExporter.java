package io.jtune.finetune.export;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.io.gguf.GgmlType;
import io.jtune.finetune.io.gguf.GgufWriter;
import io.jtune.finetune.model.Architecture;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelConfig;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a dense Llama-family model as a GGUF file that llama.cpp (and Ollama) load: llama.cpp's
 * tensor names, the q/k rows permuted from Hugging Face's rotate-half layout to the interleaved
 * one llama.cpp's rope expects, the {@code llama.*} hyper-parameters, and the byte-level BPE
 * tokenizer ({@code gpt2} model: tokens, types, merges, special ids, the chat template).
 * Matrices are written in the chosen type; norms stay F32, as llama.cpp's converter keeps them.
 */
public final class GgufExporter {
    private static final Pattern LAYER = Pattern.compile("model\\.layers\\.(\\d+)\\.(.+)\\.weight");
    private static final Map<String, String> LAYER_NAMES = Map.of(
            "input_layernorm", "attn_norm", "self_attn.q_proj", "attn_q", "self_attn.k_proj", "attn_k",
            "self_attn.v_proj", "attn_v", "self_attn.o_proj", "attn_output", "post_attention_layernorm", "ffn_norm",
            "mlp.gate_proj", "ffn_gate", "mlp.up_proj", "ffn_up", "mlp.down_proj", "ffn_down");
    // llama.cpp's token types
    private static final int NORMAL = 1;
    private static final int CONTROL = 3;
    private static final int UNUSED = 5;

    private GgufExporter() {
    }

    /** llama.cpp's {@code general.file_type} for a file whose matrices are {@code type}. */
    static int fileType(GgmlType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q8_0 -> 7;
        };
    }

    /** The GGUF tensor name of a Hugging Face one. */
    static String ggufName(String hf) {
        switch (hf) {
            case "model.embed_tokens.weight":
                return "token_embd.weight";
            case "model.norm.weight":
                return "output_norm.weight";
            case "lm_head.weight":
                return "output.weight";
            default:
                Matcher m = LAYER.matcher(hf);
                if (m.matches() && LAYER_NAMES.containsKey(m.group(2))) {
                    return "blk." + m.group(1) + "." + LAYER_NAMES.get(m.group(2)) + ".weight";
                }
                throw new IllegalArgumentException("tensor " + hf + " has no GGUF name for a llama model");
        }
    }

    /**
     * Reorders the rows of a q or k projection [heads * headDim, in]: within each head, row
     * {@code j * headDim/2 + i} (half j of rotate-half rope) moves to {@code 2i + j} (interleaved
     * pairs), as llama.cpp's converter permutes them.
     */
    static float[] permuteRows(float[] w, int heads, long rows, long cols) {
        int headDim = (int) (rows / heads);
        int half = headDim / 2;
        float[] out = new float[w.length];
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < half; i++) {
                    long from = (long) h * headDim + (long) j * half + i;
                    long to = (long) h * headDim + 2L * i + j;
                    System.arraycopy(w, (int) (from * cols), out, (int) (to * cols), (int) cols);
                }
            }
        }
        return out;
    }

    /**
     * @param model a dense model (see {@link Merger})
     * @param baseDir the folder holding its tokenizer.json and tokenizer_config.json
     */
    public static ExportedFile write(CausalLm model, Path baseDir, Path file, GgmlType type, String name)
            throws IOException {
        ModelConfig c = model.config();
        if (c.architecture() != Architecture.LLAMA && c.architecture() != Architecture.MISTRAL) {
            throw new IllegalArgumentException("GGUF export writes llama-family models; this one is "
                    + c.architecture() + " (export it as a Hugging Face folder and convert with llama.cpp's"
                    + " convert_hf_to_gguf.py)");
        }
        if (c.ropeScaling() != null) {
            throw new IllegalArgumentException("GGUF export does not write rope scaling yet (" + c.ropeScaling()
                    + "); export a Hugging Face folder and convert it with llama.cpp's convert_hf_to_gguf.py");
        }
        Map<String, NDArray> tensors = model.denseTensors();
        if (tensors.size() != model.parameters().size()) {
            throw new IllegalStateException("the model holds quantized parameters; merge and dequantize first (Merger)");
        }
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "llama");
        w.putString("general.name", name);
        w.putUint32("general.file_type", fileType(type));
        if (type == GgmlType.Q8_0 || type == GgmlType.Q4_0) {
            w.putUint32("general.quantization_version", 2);
        }
        w.putUint32("llama.vocab_size", c.vocabSize());
        w.putUint32("llama.context_length", c.maxPositionEmbeddings());
        w.putUint32("llama.embedding_length", c.hiddenSize());
        w.putUint32("llama.block_count", c.numLayers());
        w.putUint32("llama.feed_forward_length", c.intermediateSize());
        w.putUint32("llama.attention.head_count", c.numHeads());
        w.putUint32("llama.attention.head_count_kv", c.numKvHeads());
        w.putUint32("llama.rope.dimension_count", c.headDim());
        if (c.headDim() * c.numHeads() != c.hiddenSize()) {
            w.putUint32("llama.attention.key_length", c.headDim());
            w.putUint32("llama.attention.value_length", c.headDim());
        }
        w.putFloat32("llama.attention.layer_norm_rms_epsilon", (float) c.rmsNormEps());
        w.putFloat32("llama.rope.freq_base", (float) c.ropeTheta());
        tokenizer(w, baseDir, c);
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            String hf = e.getKey();
            long[] shape = e.getValue().getShape().getShape();
            float[] v = e.getValue().toFloatArray();
            if (hf.endsWith("self_attn.q_proj.weight")) {
                v = permuteRows(v, c.numHeads(), shape[0], shape[1]);
            } else if (hf.endsWith("self_attn.k_proj.weight")) {
                v = permuteRows(v, c.numKvHeads(), shape[0], shape[1]);
            }
            GgmlType t = shape.length == 1 ? GgmlType.F32 : type;
            w.addTensor(ggufName(hf), shape, t, v);
        }
        w.write(file);
        Path abs = file.toAbsolutePath();
        return ExportedFile.of(abs.getParent(), abs);
    }

    /** The tokenizer metadata, read from tokenizer.json so that ids, merges and specials match exactly. */
    private static void tokenizer(GgufWriter w, Path baseDir, ModelConfig c) throws IOException {
        JsonNode tj = new ObjectMapper().readTree(baseDir.resolve("tokenizer.json").toFile());
        JsonNode model = tj.path("model");
        if (!model.path("type").asText().equals("BPE") || !tj.path("pre_tokenizer").toString().contains("ByteLevel")) {
            throw new IllegalArgumentException(baseDir.resolve("tokenizer.json") + ": GGUF export writes byte-level BPE"
                    + " tokenizers (the gpt2 model of llama.cpp); this one is " + model.path("type").asText());
        }
        String[] tokens = new String[c.vocabSize()];
        int[] types = new int[c.vocabSize()];
        model.path("vocab").fields().forEachRemaining(e -> {
            int id = e.getValue().asInt();
            if (id < tokens.length) {
                tokens[id] = e.getKey();
                types[id] = NORMAL;
            }
        });
        for (JsonNode a : tj.path("added_tokens")) {
            int id = a.path("id").asInt();
            if (id < tokens.length) {
                tokens[id] = a.path("content").asText();
                types[id] = a.path("special").asBoolean() ? CONTROL : NORMAL;
            }
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] == null) {
                tokens[i] = "[PAD" + i + "]";
                types[i] = UNUSED;
            }
        }
        List<String> merges = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            merges.add(m.isArray() ? m.get(0).asText() + " " + m.get(1).asText() : m.asText());
        }
        w.putString("tokenizer.ggml.model", "gpt2");
        w.putString("tokenizer.ggml.pre", "gpt-2");
        w.putStrings("tokenizer.ggml.tokens", Arrays.asList(tokens));
        w.putInt32s("tokenizer.ggml.token_type", types);
        w.putStrings("tokenizer.ggml.merges", merges);
        try (Tokenizer tok = Tokenizer.load(baseDir)) {
            putId(w, "tokenizer.ggml.bos_token_id", tok.bosId());
            putId(w, "tokenizer.ggml.eos_token_id", tok.eosId());
            putId(w, "tokenizer.ggml.padding_token_id", tok.padId());
            putId(w, "tokenizer.ggml.unknown_token_id", tok.unkId());
            OptionalInt imEnd = tok.tokenId("<|im_end|>");
            OptionalInt eot = imEnd.isPresent() ? imEnd : tok.tokenId("<|eot_id|>");
            putId(w, "tokenizer.ggml.eot_token_id", eot);
            w.putBool("tokenizer.ggml.add_bos_token", tok.addsBosToken());
            w.putBool("tokenizer.ggml.add_eos_token", tok.addsEosToken());
            tok.chatTemplate().ifPresent(t -> w.putString("tokenizer.chat_template", t));
        }
    }

    private static void putId(GgufWriter w, String key, OptionalInt id) {
        if (id.isPresent()) {
            w.putUint32(key, id.getAsInt());
        }
    }
}
