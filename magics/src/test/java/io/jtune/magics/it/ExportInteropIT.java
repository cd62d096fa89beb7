package io.jtune.magics.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.export.ExportDtype;
import io.jtune.finetune.export.GgufExporter;
import io.jtune.finetune.export.HfFolderExporter;
import io.jtune.finetune.export.Merger;
import io.jtune.finetune.io.gguf.GgmlType;
import io.jtune.finetune.lora.LoraConfig;
import io.jtune.finetune.lora.LoraInit;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.lora.TargetModules;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ForwardInput;
import io.jtune.finetune.model.GenerationConfig;
import io.jtune.finetune.model.Generator;
import io.jtune.finetune.model.GradMode;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real readers judge an export of the built-in base with a LoRA adapter merged in:
 * transformers loads the Hugging Face folder with jtune's logits, the gguf package reads every
 * GGUF tensor back equal to the weights it came from, and llama.cpp (node-llama-cpp's prebuilt
 * CPU build) generates greedily the same tokens as jtune from the F32 file, renders the chat with
 * the GGUF's embedded template to jtune's tokens, and stops at the end-of-turn token.
 *
 * <p>Needs {@code JTUNE_EXPORT_PYTHON} (a python with torch, transformers, safetensors and gguf)
 * and {@code JTUNE_LLAMA_CPP_DIR} (a folder whose node_modules holds node-llama-cpp); .ci/run
 * installs both. Without them the test is skipped, except under CI, where it fails.
 */
class ExportInteropIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUESTION = "Summarise this clause: Either party may terminate this Agreement with"
            + " 30 days' written notice.";

    @TempDir
    static Path dir;
    static Path repo;
    static String python;
    static Path llamaDir;

    @BeforeAll
    static void locate() {
        Path module = Paths.get(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        repo = module.getParent();
        python = System.getenv("JTUNE_EXPORT_PYTHON");
        String llama = System.getenv("JTUNE_LLAMA_CPP_DIR");
        boolean ready = python != null && Files.isExecutable(Path.of(python)) && llama != null
                && Files.isDirectory(Path.of(llama, "node_modules", "node-llama-cpp"));
        if (!ready && System.getenv("CI") != null) {
            fail("CI must run the export interop test: set JTUNE_EXPORT_PYTHON (torch, transformers, safetensors,"
                    + " gguf) and JTUNE_LLAMA_CPP_DIR (npm install node-llama-cpp); .ci/run does. Now: "
                    + python + ", " + llama);
        }
        Assumptions.assumeTrue(ready, "JTUNE_EXPORT_PYTHON and JTUNE_LLAMA_CPP_DIR are not set up");
        llamaDir = Path.of(llama);
    }

    @Test
    void transformersGgufAndLlamaCppReadTheExportAsJtuneComputesIt() throws Exception {
        Path base = repo.resolve("models/jtune-base-1m");
        Path hf = dir.resolve("hf");
        Map<GgmlType, Path> ggufs = new LinkedHashMap<>();
        Map<String, Object> expected = new LinkedHashMap<>();
        Map<String, Object> request = new LinkedHashMap<>();
        int[] jtuneGreedy;
        int[] chatIds;
        try (Tokenizer tok = Tokenizer.load(base); CausalLm lm = ModelLoader.load(base)) {
            // a random adapter with a small scale: it moves every logit, and the model still answers in form
            LoraModel lora = LoraModel.attach(lm, LoraConfig.defaults().withRank(8, 2).withDropout(0)
                    .withTargets(TargetModules.parse("q_proj,v_proj")).withInit(LoraInit.RANDOM), 11);
            Merger.merge(lora);
            HfFolderExporter.write(lm, base, hf, ExportDtype.F32, HfFolderExporter.DEFAULT_SHARD_BYTES);
            for (GgmlType t : List.of(GgmlType.F32, GgmlType.F16, GgmlType.Q8_0)) {
                Path f = dir.resolve("legal-" + t + ".gguf");
                GgufExporter.write(lm, base, f, t, "legal");
                ggufs.put(t, f);
            }
            List<Map<String, String>> messages = List.of(Map.of("role", "user", "content", QUESTION));
            chatIds = tok.encode(tok.applyChatTemplate(messages, true), false);
            expected.put("ids", chatIds);
            try (GradMode off = GradMode.off(); NDManager scope = lm.manager().newSubManager()) {
                expected.put("logits", lm.logits(scope, ForwardInput.of(new int[][] {chatIds}), null).toFloatArray());
            }
            jtuneGreedy = new Generator(lm, null).generate(chatIds, GenerationConfig.greedy(80, tok.eosIds()), null).tokens();
            request.put("prompt_ids", chatIds);
            request.put("new_tokens", 80);
            request.put("chat", Map.of("messages", messages));
        }
        Path expectedFile = dir.resolve("expected.json");
        JSON.writeValue(expectedFile.toFile(), expected);
        String check = run(List.of(python, repo.resolve("finetune/src/test/python/export/check_export.py").toString(),
                "--hf", hf.toString(), "--expected", expectedFile.toString(), "--gguf",
                ggufs.get(GgmlType.F32).toString(), ggufs.get(GgmlType.F16).toString(), ggufs.get(GgmlType.Q8_0).toString()),
                repo, 600);
        assertTrue(check.contains("PASS"), check);

        Path requestFile = dir.resolve("request.json");
        JSON.writeValue(requestFile.toFile(), request);
        // ES modules resolve packages from the script's folder up (not NODE_PATH): run a copy beside a link
        Path nodeDir = Files.createDirectories(dir.resolve("node"));
        Files.createSymbolicLink(nodeDir.resolve("node_modules"), llamaDir.resolve("node_modules").toAbsolutePath());
        Path script = Files.copy(repo.resolve("finetune/src/test/node/llama_check.mjs"), nodeDir.resolve("llama_check.mjs"));
        String out = run(List.of("node", script.toString(), ggufs.get(GgmlType.F32).toString(), requestFile.toString()),
                nodeDir, 300);
        JsonNode r = JSON.readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no JSON from llama_check.mjs:\n" + out)));
        int[] llamaGreedy = ints(r.get("greedy"));
        assertEquals(Arrays.toString(jtuneGreedy), Arrays.toString(llamaGreedy), "greedy tokens, jtune vs llama.cpp");
        assertTrue(r.get("ended_turn").asBoolean(), "llama.cpp stopped at an end-of-turn token: " + out);
        assertEquals(Arrays.toString(chatIds), Arrays.toString(ints(r.get("chat_ids"))),
                "the GGUF's template rendered by llama.cpp's side and tokenized there: " + r.get("chat_text"));
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    /** Runs a command, returns its merged output, fails with it on a non-zero exit or a timeout. */
    private static String run(List<String> command, Path workDir, long timeoutSeconds) throws IOException,
            InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Path log = Files.createTempFile(dir, "run", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail(command + " timed out after " + timeoutSeconds + " s:\n" + Files.readString(log));
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("[ExportInteropIT] " + command.get(1) + "\n" + out);
        if (p.exitValue() != 0) {
            fail(command + " exited with " + p.exitValue() + ":\n" + out);
        }
        return out;
    }
}
