package io.jtune.finetune.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.io.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Logits of a GGUF file as llama.cpp computes them, through node-llama-cpp (its prebuilt CPU
 * build): the export check's second opinion. Needs {@code node} (20 or newer) and a folder whose
 * {@code node_modules} holds node-llama-cpp ({@code JTUNE_LLAMA_CPP_DIR}, or {@code --llama-cpp}).
 */
public final class LlamaCppLogits {
    /** The environment variable naming the node-llama-cpp folder. */
    public static final String ENV = "JTUNE_LLAMA_CPP_DIR";
    private static final String SCRIPT = "llama_logits.mjs";

    private LlamaCppLogits() {
    }

    /** The folder to use: {@code dir} if given, else $JTUNE_LLAMA_CPP_DIR, when it holds node-llama-cpp. */
    public static Optional<Path> locate(Path dir) {
        Path d = dir != null ? dir : Optional.ofNullable(System.getenv(ENV)).filter(s -> !s.isBlank()).map(Path::of).orElse(null);
        return d != null && Files.isDirectory(d.resolve("node_modules/node-llama-cpp")) ? Optional.of(d) : Optional.empty();
    }

    /** For each sequence, the logits [positions x vocab] llama.cpp computes with {@code gguf}. */
    public static List<float[]> of(Path llamaDir, Path gguf, List<int[]> sequences) throws IOException, InterruptedException {
        // ES modules find packages from the script's folder up: run a copy beside a link to node_modules
        Path work = Files.createTempDirectory("jtune-llama-check");
        try {
            Files.createSymbolicLink(work.resolve("node_modules"), llamaDir.resolve("node_modules").toAbsolutePath());
            try (InputStream in = LlamaCppLogits.class.getResourceAsStream(SCRIPT)) {
                Files.copy(in, work.resolve(SCRIPT), StandardCopyOption.REPLACE_EXISTING);
            }
            ObjectMapper json = new ObjectMapper();
            Path request = work.resolve("request.json");
            json.writeValue(request.toFile(), Map.of("sequences", sequences));
            Path out = work.resolve("out.json");
            Process p = new ProcessBuilder("node", work.resolve(SCRIPT).toString(), gguf.toAbsolutePath().toString(),
                    request.toString()).directory(work.toFile()).redirectErrorStream(false)
                    .redirectOutput(out.toFile()).redirectError(work.resolve("err.txt").toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("llama.cpp did not answer within 300 s for " + gguf);
            }
            if (p.exitValue() != 0) {
                throw new IOException("node " + SCRIPT + " exited with " + p.exitValue() + " for " + gguf + ": "
                        + Files.readString(work.resolve("err.txt"), StandardCharsets.UTF_8).strip());
            }
            JsonNode all = json.readTree(out.toFile()).path("logits");
            List<float[]> result = new ArrayList<>();
            for (JsonNode seq : all) {
                int positions = seq.size();
                int vocab = seq.get(0).size();
                float[] flat = new float[positions * vocab];
                for (int t = 0; t < positions; t++) {
                    for (int v = 0; v < vocab; v++) {
                        flat[t * vocab + v] = (float) seq.get(t).get(v).asDouble();
                    }
                }
                result.add(flat);
            }
            return result;
        } finally {
            Folders.deleteTree(work);
        }
    }
}
