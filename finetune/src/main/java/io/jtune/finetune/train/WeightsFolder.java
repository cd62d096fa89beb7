package io.jtune.finetune.train;

import ai.djl.ndarray.NDArray;
import io.jtune.finetune.io.safetensors.SafetensorsWriter;
import io.jtune.finetune.io.safetensors.TensorData;
import io.jtune.finetune.model.CausalLm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a model's weights as a Hugging Face model folder, for a fully fine-tuned model: every
 * dense parameter in {@code model.safetensors} (f32, Hugging Face names, a tied head not repeated),
 * next to copies of the base folder's config, tokenizer and generation files, so that transformers
 * and jtune load it as they loaded the base.
 */
public final class WeightsFolder {
    /** The files of a model folder that are not weights and that a fine-tuned copy keeps. */
    static final List<String> KEPT = List.of("config.json", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja", "vocab.json", "merges.txt");

    private WeightsFolder() {}

    /**
     * @throws IllegalStateException when a projection is held quantized (export merges those)
     */
    public static void write(Path dir, CausalLm model, Path baseDir) throws IOException {
        Map<String, NDArray> tensors = model.denseTensors();
        long expected = model.parameters().size();
        if (tensors.size() != expected) {
            throw new IllegalStateException("the model holds " + (expected - tensors.size()) + " parameters in"
                    + " quantized storage; write a dense model folder after dequantizing (merge and export)");
        }
        Files.createDirectories(dir);
        List<TensorData> data = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            data.add(TensorData.f32(e.getKey(), e.getValue().getShape().getShape(), e.getValue().toFloatArray()));
        }
        SafetensorsWriter.write(dir.resolve("model.safetensors"), data);
        if (baseDir != null) {
            for (String f : KEPT) {
                Path src = baseDir.resolve(f);
                if (Files.isRegularFile(src)) {
                    Files.copy(src, dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
