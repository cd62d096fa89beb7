package io.jtune.finetune.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.finetune.io.safetensors.SafetensorsWriter;
import io.jtune.finetune.io.safetensors.TensorData;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.DecoderLayer;
import io.jtune.finetune.model.Linear;
import io.jtune.finetune.model.WeightStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole model folder in the layout transformers saves a bitsandbytes 4-bit model in, so a base
 * quantized here can be loaded by transformers with bitsandbytes on a GPU: {@code model.safetensors}
 * with every NF4 projection as {@link Bnb4bit}'s six tensors and everything else float32, and
 * {@code config.json} with the {@code quantization_config} that {@code BitsAndBytesConfig.to_dict()}
 * writes for nf4 with double quantization. {@link io.jtune.finetune.model.ModelLoader} reads such a
 * folder back with the NF4 weights exactly as saved.
 */
public final class Bnb4bitCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Files copied from the base folder when present. */
    private static final List<String> SIDE_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "generation_config.json", "chat_template.jinja");

    private Bnb4bitCheckpoint() {}

    /** Whether {@code modelDir}'s config.json says it is a bitsandbytes 4-bit checkpoint. */
    public static boolean isCheckpoint(Path modelDir) throws IOException {
        Path config = modelDir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return false;
        }
        JsonNode q = JSON.readTree(config.toFile()).path("quantization_config");
        return "bitsandbytes".equals(q.path("quant_method").asText()) && q.path("load_in_4bit").asBoolean(false);
    }

    /** What {@code BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4", bnb_4bit_use_double_quant=True).to_dict()} gives. */
    public static ObjectNode quantizationConfig() {
        ObjectNode q = JSON.createObjectNode();
        q.put("quant_method", "bitsandbytes");
        q.put("_load_in_8bit", false);
        q.put("_load_in_4bit", true);
        q.put("llm_int8_threshold", 6.0);
        q.putNull("llm_int8_skip_modules");
        q.put("llm_int8_enable_fp32_cpu_offload", false);
        q.put("llm_int8_has_fp16_weight", false);
        q.put("bnb_4bit_quant_type", "nf4");
        q.put("bnb_4bit_use_double_quant", true);
        q.put("bnb_4bit_compute_dtype", "float32");
        q.put("bnb_4bit_quant_storage", "uint8");
        q.put("load_in_4bit", true);
        q.put("load_in_8bit", false);
        return q;
    }

    /**
     * Writes {@code model} to {@code outDir}: its config.json is {@code baseDir}'s with
     * {@code quantization_config} added, and the tokenizer and generation files are copied.
     */
    public static void save(CausalLm model, Path baseDir, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        ObjectNode config = (ObjectNode) JSON.readTree(baseDir.resolve("config.json").toFile());
        config.set("quantization_config", quantizationConfig());
        Files.writeString(outDir.resolve("config.json"), JSON.writeValueAsString(config) + "\n");
        for (String f : SIDE_FILES) {
            Path src = baseDir.resolve(f);
            if (Files.isRegularFile(src) && !src.equals(outDir.resolve(f))) {
                Files.copy(src, outDir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        SafetensorsWriter.write(outDir.resolve("model.safetensors"), tensors(model));
    }

    /** The model's tensors in transformers' order, NF4 projections in bitsandbytes' layout. */
    static List<TensorData> tensors(CausalLm model) {
        List<TensorData> out = new ArrayList<>();
        out.add(f32("model.embed_tokens.weight", model.embedding()));
        for (DecoderLayer layer : model.layers()) {
            String p = "model.layers." + layer.index() + ".";
            for (Linear l : List.of(layer.attention().qProj(), layer.attention().kProj(), layer.attention().vProj(),
                    layer.attention().oProj(), layer.mlp().gateProj(), layer.mlp().upProj(), layer.mlp().downProj())) {
                linear(out, l, model);
            }
            out.add(f32(p + "input_layernorm.weight", layer.inputNorm().weight()));
            out.add(f32(p + "post_attention_layernorm.weight", layer.postAttentionNorm().weight()));
        }
        out.add(f32("model.norm.weight", model.norm().weight()));
        if (model.lmHead().tiedTo().isEmpty()) {
            linear(out, model.lmHead(), model);
        }
        return out;
    }

    private static void linear(List<TensorData> out, Linear l, CausalLm model) {
        WeightStorage w = l.weight();
        if (w instanceof Nf4Weight nf4) {
            out.addAll(Bnb4bit.tensors(l.name(), nf4.tensor()));
        } else {
            try (var scope = model.manager().newSubManager()) {
                out.add(f32(l.name() + ".weight", w.dense(scope)));
            }
        }
        if (l.bias() != null) {
            out.add(f32(l.name() + ".bias", l.bias()));
        }
    }

    private static TensorData f32(String name, ai.djl.ndarray.NDArray a) {
        return TensorData.f32(name, a.getShape().getShape(), a.toFloatArray());
    }
}
