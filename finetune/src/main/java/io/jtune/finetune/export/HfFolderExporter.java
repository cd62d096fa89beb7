package io.jtune.finetune.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ai.djl.ndarray.NDArray;
import io.jtune.finetune.io.Folders;
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
import java.util.stream.Stream;

/**
 * Writes a dense model as a Hugging Face model folder that transformers loads as a normal model:
 * {@code config.json} (its {@code torch_dtype} set to the export's, any quantization config
 * dropped), the base's generation config and tokenizer files, and the weights in
 * {@code model.safetensors}, or in numbered shards with {@code model.safetensors.index.json} above
 * the shard size. Everything is written to a folder beside the destination and renamed into place,
 * so a failed export leaves any earlier one as it was.
 */
public final class HfFolderExporter {
    /** transformers' default {@code max_shard_size} (5 GB). */
    public static final long DEFAULT_SHARD_BYTES = 5_000_000_000L;
    /** The non-weight files of the base folder that the export carries over, when present. */
    static final List<String> CARRIED = List.of("generation_config.json", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "chat_template.jinja", "vocab.json", "merges.txt", "tokenizer.model");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HfFolderExporter() {
    }

    /**
     * @param model a dense model (merge an adapter and dequantize first: {@link Merger})
     * @param baseDir the folder the model was loaded from (config, tokenizer)
     * @param dest the folder to write; an existing one is replaced as a whole
     */
    public static ExportReport write(CausalLm model, Path baseDir, Path dest, ExportDtype dtype, long maxShardBytes)
            throws IOException {
        Map<String, NDArray> tensors = model.denseTensors();
        if (tensors.size() != model.parameters().size()) {
            throw new IllegalStateException((model.parameters().size() - tensors.size()) + " parameters are held"
                    + " quantized; merge and dequantize first (Merger.merge or Merger.dequantize)");
        }
        List<TensorData> data = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            float[] v = e.getValue().toFloatArray();
            for (float f : v) {
                if (!Float.isFinite(f)) {
                    throw new IllegalStateException(e.getKey() + " holds " + f + "; nothing was written");
                }
            }
            data.add(TensorData.ofFloats(e.getKey(), dtype.dtype(), e.getValue().getShape().getShape(), v));
        }
        Path abs = dest.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path work = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".export-");
        try {
            Path out = work.resolve("model");
            Files.createDirectories(out);
            SafetensorsWriter.writeSharded(out, data, maxShardBytes, Map.of("format", "pt"));
            ObjectNode config = (ObjectNode) JSON.readTree(baseDir.resolve("config.json").toFile());
            config.put("torch_dtype", dtype.torchName());
            if (config.has("dtype")) {
                config.put("dtype", dtype.torchName());
            }
            config.remove("quantization_config");
            JSON.writeValue(out.resolve("config.json").toFile(), config);
            for (String f : CARRIED) {
                Path src = baseDir.resolve(f);
                if (Files.isRegularFile(src)) {
                    Files.copy(src, out.resolve(f));
                }
            }
            List<ExportedFile> files = new ArrayList<>();
            try (Stream<Path> s = Files.list(out)) {
                for (Path p : s.sorted().toList()) {
                    files.add(ExportedFile.of(out, p));
                }
            }
            Path old = work.resolve("old");
            if (Files.exists(abs)) {
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(out, abs, StandardCopyOption.ATOMIC_MOVE);
            List<String> notes = new ArrayList<>();
            if (dtype != ExportDtype.F32) {
                notes.add("weights rounded to " + dtype.torchName() + ": logits differ from the f32 model's by"
                        + " rounding (see the verification)");
            }
            return new ExportReport(abs, files, notes);
        } finally {
            Folders.deleteTree(work);
        }
    }

}
