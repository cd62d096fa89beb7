package io.jtune.finetune.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.lora.LoraConfig;
import io.jtune.finetune.lora.LoraInit;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.lora.TargetModules;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ForwardInput;
import io.jtune.finetune.model.GradMode;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.quant.Quantization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Merging an adapter into its base (f32 and NF4) and writing the result as a Hugging Face folder. */
class MergeExportTest {
    private static final int[] IDS = {37, 65, 65, 25, 33, 95, 68, 17, 46};

    @TempDir
    static Path dir;
    static Path base;

    @BeforeAll
    static void writeBase() throws Exception {
        base = dir.resolve("base");
        TinyModels.write(base, TinyModels.TEST_LLAMA, 3);
    }

    static float[] logits(CausalLm m) {
        try (GradMode off = GradMode.off(); NDManager scope = m.manager().newSubManager()) {
            return m.logits(scope, ForwardInput.of(new int[][] {IDS}), null).toFloatArray();
        }
    }

    static double maxDiff(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    /** A random adapter (B not zero), so that merging changes the weights. */
    static LoraModel adapter(CausalLm m) {
        return LoraModel.attach(m, LoraConfig.defaults().withRank(4, 8).withDropout(0)
                .withTargets(TargetModules.parse("all-linear")).withInit(LoraInit.RANDOM), 9);
    }

    @Test
    void mergedLogitsEqualBasePlusAdapterAndTheExportLoadsBackTheSame() throws Exception {
        try (CausalLm m = ModelLoader.load(base)) {
            float[] plain = logits(m);
            LoraModel lora = adapter(m);
            float[] tuned = logits(m);
            assertTrue(maxDiff(plain, tuned) > 1e-3, "the adapter changes the logits");
            Merger.Merged merged = Merger.merge(lora);
            assertEquals(14, merged.merged()); // 2 layers x 7 projections
            assertEquals(0, merged.dequantized());
            assertEquals(List.of(), merged.notes());
            assertTrue(maxDiff(tuned, logits(m)) < 1e-5, "merged = base + adapter: " + maxDiff(tuned, logits(m)));

            Path out = dir.resolve("export-f32");
            ExportReport report = HfFolderExporter.write(m, base, out, ExportDtype.F32, HfFolderExporter.DEFAULT_SHARD_BYTES);
            List<String> names = report.files().stream().map(ExportedFile::name).toList();
            assertTrue(names.containsAll(List.of("config.json", "generation_config.json", "model.safetensors",
                    "tokenizer.json", "tokenizer_config.json")), names.toString());
            assertEquals(64, report.files().get(0).sha256().length());
            assertEquals(Files.size(out.resolve("model.safetensors")),
                    report.files().stream().filter(f -> f.name().equals("model.safetensors")).findFirst().orElseThrow().bytes());
            JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
            assertEquals("float32", config.get("torch_dtype").asText());
            try (CausalLm back = ModelLoader.load(out)) {
                assertArrayEquals(logits(m), logits(back), "an f32 export loads back bit for bit");
            }
            try (Stream<Path> left = Files.list(dir)) {
                assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(".export-")), "no work folder is left");
            }
        }
    }

    @Test
    void halfPrecisionAndShardedExportsLoadWithRoundingOnly() throws Exception {
        try (CausalLm m = ModelLoader.load(base)) {
            Merger.merge(adapter(m));
            float[] f32 = logits(m);
            for (ExportDtype t : List.of(ExportDtype.F16, ExportDtype.BF16)) {
                Path out = dir.resolve("export-" + t);
                ExportReport r = HfFolderExporter.write(m, base, out, t, 100_000);
                assertTrue(Files.isRegularFile(out.resolve("model.safetensors.index.json")), "sharded at 100 kB");
                assertTrue(r.files().stream().anyMatch(f -> f.name().startsWith("model-00001-of-")));
                assertEquals(t.torchName(), new ObjectMapper().readTree(out.resolve("config.json").toFile())
                        .get("torch_dtype").asText());
                assertTrue(r.notes().get(0).contains(t.torchName()), r.notes().toString());
                try (CausalLm back = ModelLoader.load(out)) {
                    double d = maxDiff(f32, logits(back));
                    assertTrue(d > 0 && d < (t == ExportDtype.F16 ? 2e-3 : 2e-2), t + ": " + d);
                }
            }
        }
    }

    @Test
    void anNf4BaseIsDequantizedAndSaysSo() throws Exception {
        try (CausalLm m = ModelLoader.load(base, Quantization.NF4)) {
            LoraModel lora = LoraModel.attach(m, LoraConfig.defaults().withRank(4, 8).withDropout(0)
                    .withTargets(TargetModules.parse("q_proj,v_proj")).withInit(LoraInit.RANDOM), 9);
            float[] tuned = logits(m);
            Merger.Merged merged = Merger.merge(lora);
            assertEquals(14, merged.dequantized()); // 4 adapted, 10 widened without an adapter
            assertEquals(4, merged.merged());
            assertTrue(merged.notes().get(0).contains("dequantized"), merged.notes().toString());
            assertTrue(maxDiff(tuned, logits(m)) < 1e-4, "the merged model computes what NF4 + adapter did");
            Path out = dir.resolve("export-from-nf4");
            HfFolderExporter.write(m, base, out, ExportDtype.F32, HfFolderExporter.DEFAULT_SHARD_BYTES);
            try (CausalLm back = ModelLoader.load(out)) {
                assertArrayEquals(logits(m), logits(back));
            }
        }
    }

    @Test
    void aNonFiniteWeightStopsTheExportBeforeAnythingIsWritten() throws Exception {
        try (CausalLm m = ModelLoader.load(base)) {
            LoraModel lora = adapter(m);
            NDArray b = lora.trainable().entrySet().stream().filter(e -> e.getKey().contains("lora_B"))
                    .findFirst().orElseThrow().getValue();
            b.set(new ai.djl.ndarray.index.NDIndex("0, 0"), Float.NaN);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Merger.merge(lora));
            assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("nothing was written"), e.getMessage());
            Path out = dir.resolve("export-nan");
            assertThrows(IllegalStateException.class, () -> HfFolderExporter.write(m, base, out, ExportDtype.F32,
                    HfFolderExporter.DEFAULT_SHARD_BYTES));
            assertTrue(Files.notExists(out));
        }
    }
}
