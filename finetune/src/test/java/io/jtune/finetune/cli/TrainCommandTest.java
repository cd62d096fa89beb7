package io.jtune.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.data.samples.AcmeQuickstart;
import io.jtune.finetune.model.TinyModels;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jtune train} on a tiny model and the quickstart data. */
class TrainCommandTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path data;

    @BeforeAll
    static void writeModelAndData() throws Exception {
        model = dir.resolve("tiny");
        TinyModels.write(model, TinyModels.TEST_LLAMA, 3);
        data = dir.resolve("acme.jsonl");
        AcmeQuickstart.writeJsonl(data, AcmeQuickstart.examples());
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EngineCommandsTest.commandLine(out, err).execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void loraTrainingWritesAnAdapterMetricsCheckpointsAndTheManifest() throws Exception {
        Path out = dir.resolve("run-lora");
        String[] r = run("train", "--model", model.toString(), "--data", data.toString(), "--max-steps", "4",
                "--lr", "1e-2", "--batch", "2", "--save-every", "2", "--eval-every", "2", "--out", out.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("trainable params:") && r[1].contains("step 4/4") && r[1].contains("eval at step"),
                r[1]);
        assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_config.json")));
        assertTrue(Files.isDirectory(out.resolve("checkpoint-2")) && Files.isDirectory(out.resolve("checkpoint-4")));
        List<String> metrics = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertTrue(metrics.size() >= 5, "4 steps and evaluations: " + metrics);
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertEquals(64, manifest.get("data_sha256").elements().next().asText().length());
        assertTrue(manifest.get("base_model_sha256").has("model.safetensors"));
        assertEquals(4, manifest.get("settings").get("max-steps").asInt());

        String[] gen = run("generate", model.toString(), "--ids", "1,2", "--max-new-tokens", "2", "--adapter",
                out.resolve("adapter").toString());
        assertEquals("0", gen[0], gen[2]);
    }

    @Test
    void qloraTrainsAnAdapterOnAnNf4Base() throws Exception {
        Path out = dir.resolve("run-qlora");
        String[] r = run("train", "--model", model.toString(), "--data", data.toString(), "--method", "qlora",
                "--max-steps", "2", "--batch", "2", "--out", out.toString());
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("base:") && r[1].contains("step 2/2"), r[1]);
        assertTrue(Files.isRegularFile(out.resolve("adapter/adapter_model.safetensors")));
        assertNotEquals("0", run("train", "--model", model.toString(), "--data", data.toString(), "--method", "dpo")[0]);
    }

    @Test
    void aYamlFileHoldsTheOptionsAndTheCommandLineOverridesThem() throws Exception {
        Path out = dir.resolve("run-yaml");
        Path yaml = dir.resolve("run.yaml");
        Files.writeString(yaml, "model: " + model + "\ndata: " + data + "\nmethod: full\nmax_steps: 5\nbatch: 2\n"
                + "lr: 1e-3\nout: " + out + "\n");
        String[] r = run("train", yaml.toString(), "--max-steps", "2");
        assertEquals("0", r[0], r[1] + r[2]);
        assertTrue(r[1].contains("step 2/2") && !r[1].contains("step 3"), r[1]);
        assertTrue(Files.isRegularFile(out.resolve("model/model.safetensors")));
        assertTrue(Files.isRegularFile(out.resolve("model/tokenizer.json")));
        String[] gen = run("generate", out.resolve("model").toString(), "--ids", "1,2", "--max-new-tokens", "2");
        assertEquals("0", gen[0], gen[2]);

        Files.writeString(yaml, "model: " + model + "\nlearning_rate: 1\n");
        String[] bad = run("train", yaml.toString());
        assertNotEquals("0", bad[0]);
        assertTrue(bad[2].contains("learning_rate"), bad[2]);
    }
}
