package io.jtune.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.lora.LoraConfig;
import io.jtune.finetune.lora.LoraInit;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.lora.TargetModules;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.model.TinyModels;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --adapter DIR} on generate and next-token. */
class AdapterOptionTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path adapter;

    @BeforeAll
    static void writeModelAndAdapter() throws Exception {
        model = dir.resolve("tiny");
        TinyModels.write(model, TinyModels.TEST_LLAMA, 3);
        adapter = dir.resolve("adapter");
        try (CausalLm m = ModelLoader.load(model);
                LoraModel lora = LoraModel.attach(m, LoraConfig.defaults().withTargets(TargetModules.parse("all-linear"))
                        .withInit(LoraInit.RANDOM).withRank(4, 64), 9)) {
            lora.save(adapter);
        }
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EngineCommandsTest.commandLine(out, err).execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void anAdapterChangesTheNextTokenTableAndGeneration() {
        String[] base = run("next-token", model.toString(), "--ids", "1,2,3", "--json");
        String[] tuned = run("next-token", model.toString(), "--ids", "1,2,3", "--json", "--adapter", adapter.toString());
        assertEquals("0", tuned[0], tuned[2]);
        assertNotEquals(base[1], tuned[1], "the adapter moves the probabilities");
        String[] gen = run("generate", model.toString(), "--ids", "1,2,3", "--max-new-tokens", "3", "--adapter",
                adapter.toString(), "--print-ids");
        assertEquals("0", gen[0], gen[2]);
        assertTrue(gen[1].contains("new ids:"), gen[1]);
    }

    @Test
    void anAdapterOnAnNf4BaseRunsFromTheCommandLine() throws Exception {
        String[] f32 = run("next-token", model.toString(), "--ids", "1,2,3", "--json", "--adapter", adapter.toString());
        String[] nf4 = run("next-token", model.toString(), "--ids", "1,2,3", "--json", "--adapter", adapter.toString(),
                "--quant", "nf4");
        assertEquals("0", nf4[0], nf4[2]);
        com.fasterxml.jackson.databind.JsonNode a = new com.fasterxml.jackson.databind.ObjectMapper().readTree(f32[1]);
        com.fasterxml.jackson.databind.JsonNode b = new com.fasterxml.jackson.databind.ObjectMapper().readTree(nf4[1]);
        double pa = a.get("next_token").get(0).get("probability").asDouble();
        double pb = b.get("next_token").get(0).get("probability").asDouble();
        assertNotEquals(pa, pb, "4-bit weights change the numbers a little");
        assertEquals(pa, pb, 0.1, "but not much");
        String[] bad = run("next-token", model.toString(), "--ids", "1", "--quant", "int3");
        assertNotEquals("0", bad[0]);
    }

    @Test
    void aMissingAdapterFolderIsNamed() {
        String[] r = run("next-token", model.toString(), "--ids", "1,2,3", "--adapter", dir.resolve("nope").toString());
        assertNotEquals("0", r[0]);
        assertTrue(r[2].contains("nope"), r[2]);
    }
}
