package io.jtune.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.data.samples.AcmeQuickstart;
import io.jtune.finetune.export.LlamaCppLogits;
import io.jtune.finetune.model.TinyModels;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jtune merge}: a trained adapter merged and written as a Hugging Face folder, GGUF and Modelfile. */
class MergeCommandTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path adapter;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EngineCommandsTest.commandLine(out, err).execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @BeforeAll
    static void trainAnAdapter() throws Exception {
        model = dir.resolve("tiny");
        TinyModels.write(model, TinyModels.TEST_LLAMA, 3);
        Path data = dir.resolve("acme.jsonl");
        AcmeQuickstart.writeJsonl(data, AcmeQuickstart.examples());
        String[] t = run("train", "--model", model.toString(), "--data", data.toString(), "--max-steps", "3",
                "--lr", "5e-2", "--batch", "2", "--out", dir.resolve("run").toString());
        assertEquals("0", t[0], t[1] + t[2]);
        adapter = dir.resolve("run/adapter");
    }

    @Test
    void writesTheFolderTheGgufAndTheModelfileAndChecksTheExport() throws Exception {
        Path out = dir.resolve("merged");
        String[] r = run("merge", model.toString(), adapter.toString(), out.toString(), "--format", "hf,gguf",
                "--gguf-type", "q8_0", "--name", "acme");
        assertEquals("0", r[0], r[1] + r[2]);
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json", "acme-q8_0.gguf", "Modelfile"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " in " + r[1]);
        }
        Matcher m = Pattern.compile("largest logit difference ([0-9.e-]+)").matcher(r[1]);
        assertTrue(m.find(), r[1]);
        assertEquals(0.0, Double.parseDouble(m.group(1)), 1e-5, "an f32 folder holds the merged weights exactly");
        String modelfile = Files.readString(out.resolve("Modelfile"));
        assertTrue(modelfile.contains("FROM ./acme-q8_0.gguf") && modelfile.contains("<|im_start|>{{ .Role }}")
                && modelfile.contains("PARAMETER stop \"<|im_end|>\""), modelfile);
        assertTrue(r[1].contains("ollama create acme -f Modelfile") && r[1].contains("vllm serve"), r[1]);
        if (LlamaCppLogits.locate(null).isPresent()) { // CI sets JTUNE_LLAMA_CPP_DIR
            assertTrue(r[1].contains("check GGUF Q8_0 in llama.cpp: largest logit difference"), r[1]);
        } else {
            assertTrue(r[1].contains("check GGUF in llama.cpp: skipped"), r[1]);
        }
    }

    @Test
    void badFormatsAreNamed() {
        String[] r = run("merge", model.toString(), adapter.toString(), dir.resolve("x").toString(), "--format", "onnx");
        assertNotEquals("0", r[0]);
        assertTrue(r[2].contains("--format onnx"), r[2]);
        String[] t = run("merge", model.toString(), adapter.toString(), dir.resolve("y").toString(), "--gguf-type", "q5_k");
        assertTrue(t[2].contains("q5_k"), t[2]);
    }
}
