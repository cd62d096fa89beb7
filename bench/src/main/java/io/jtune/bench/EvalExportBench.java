package io.jtune.bench;

import static io.jtune.bench.BenchSupport.option;

import io.jtune.finetune.data.samples.LegalAuditGenerator;
import io.jtune.finetune.data.samples.LegalAuditSplit;
import io.jtune.finetune.data.samples.LegalPolicy;
import io.jtune.finetune.eval.EvalCase;
import io.jtune.finetune.eval.EvalConfig;
import io.jtune.finetune.eval.EvalListener;
import io.jtune.finetune.eval.EvalResult;
import io.jtune.finetune.eval.Evaluator;
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
import io.jtune.finetune.model.GenerationConfig;
import io.jtune.finetune.model.GenerationResult;
import io.jtune.finetune.model.Generator;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.tokenize.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Evaluation throughput on the flagship held-out set with the built-in base (and an adapter), batch
 * 1 against batched; merge and export time of the ~58M benchmark model; and jtune's greedy decode
 * speed on that model, for comparison with llama.cpp on the F32 GGUF it writes
 * ({@code bench/llama_decode.mjs}).
 *
 * <pre>java -Dai.djl.offline=true -cp "bench/target/classes:bench/target/lib/*" io.jtune.bench.EvalExportBench \
 *     [--base models/jtune-base-1m] [--adapter DIR] [--cases 100] [--work /tmp/bench58m-export] [--threads 2]</pre>
 */
public final class EvalExportBench {
    private EvalExportBench() {}

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(option(args, "--threads", "2"));
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Path base = Path.of(option(args, "--base", "models/jtune-base-1m"));
        String adapter = option(args, "--adapter", null);
        int n = Integer.parseInt(option(args, "--cases", "100"));
        Path work = Path.of(option(args, "--work", "/tmp/bench58m-export"));

        LegalAuditSplit split = new LegalAuditGenerator(LegalPolicy.standard(), true).split(3000, 500, 42);
        List<EvalCase> cases = IntStream.range(0, n).mapToObj(i -> EvalCase.of("heldout-" + (i + 1),
                split.heldOut().get(i))).toList();
        try (Tokenizer tok = Tokenizer.load(base); CausalLm lm = ModelLoader.load(base)) {
            if (adapter != null) {
                LoraModel.load(lm, Path.of(adapter));
            }
            for (int batch : new int[] {1, 16}) {
                EvalConfig c = EvalConfig.defaults().withMetrics("verdict").withMaxNewTokens(160).withBatchSize(batch);
                EvalResult r = Evaluator.chat(lm, tok).run("base", cases, c, EvalListener.NONE);
                System.out.printf(Locale.ROOT, "eval %s%s, %d held-out cases, batch %d: %.2f examples/s, %.1f generated"
                        + " tokens/s, %.1f s, verdict accuracy %.3f%n", base.getFileName(), adapter != null ? " + adapter" : "",
                        n, batch, r.examplesPerSecond(), r.generatedTokensPerSecond(), r.seconds(), r.mean("verdict_accuracy"));
            }
        }

        Path src = work.resolve("base");
        if (!Files.isRegularFile(src.resolve("model.safetensors"))) {
            // the benchmark model's weights, with the built-in base's 2,048-token tokenizer: ids past 2,047
            // have no text (the GGUF lists them as unused tokens), which changes no tensor and no timing
            LoadMemory.main(new String[] {"--write", src.toString()});
            for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
                Files.copy(base.resolve(f), src.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try (CausalLm lm = ModelLoader.load(src)) {
            LoraModel lora = LoraModel.attach(lm, LoraConfig.defaults().withTargets(TargetModules.parse("q_proj,v_proj"))
                    .withInit(LoraInit.RANDOM), 1);
            long t0 = System.nanoTime();
            Merger.merge(lora);
            long t1 = System.nanoTime();
            HfFolderExporter.write(lm, src, work.resolve("hf"), ExportDtype.F32, HfFolderExporter.DEFAULT_SHARD_BYTES);
            long t2 = System.nanoTime();
            HfFolderExporter.write(lm, src, work.resolve("hf-f16"), ExportDtype.F16, HfFolderExporter.DEFAULT_SHARD_BYTES);
            long t3 = System.nanoTime();
            Path gguf = work.resolve("bench-58m-f32.gguf");
            GgufExporter.write(lm, src, gguf, GgmlType.F32, "bench-58m");
            long t4 = System.nanoTime();
            GgufExporter.write(lm, src, work.resolve("bench-58m-q8_0.gguf"), GgmlType.Q8_0, "bench-58m");
            long t5 = System.nanoTime();
            System.out.printf(Locale.ROOT, "58M model (%,d parameters): merge %.2f s, HF f32 %.2f s, HF f16 %.2f s, GGUF f32"
                    + " %.2f s, GGUF q8_0 %.2f s%n", lm.config().parameterCount(), (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t5 - t4) / 1e9);
            int[] prompt = IntStream.range(0, 16).map(i -> 100 + 37 * i).toArray();
            Generator g = new Generator(lm, null);
            GenerationConfig greedy = GenerationConfig.greedy(128);
            g.generate(prompt, GenerationConfig.greedy(8), null); // warm-up
            List<Double> rates = new ArrayList<>();
            GenerationResult last = null;
            for (int rep = 0; rep < 3; rep++) {
                long s = System.nanoTime();
                last = g.generate(prompt, greedy, null);
                rates.add(last.tokens().length / ((System.nanoTime() - s) / 1e9));
            }
            rates.sort(null);
            System.out.printf(Locale.ROOT, "jtune decode, 58M f32, batch 1, 16-token prompt, 128 new tokens: %.1f tokens/s"
                    + " (median of 3)%n", rates.get(1));
            System.out.println("prompt ids " + Arrays.toString(prompt).replace(" ", "").replace("[", "").replace("]", "")
                    + "; jtune's greedy ids start " + Arrays.toString(Arrays.copyOf(last.tokens(), 8)));
            System.out.println("llama.cpp on the same file: node bench/llama_decode.mjs " + gguf + " <prompt ids> 128 " + threads);
        }
    }
}
