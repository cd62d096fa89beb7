package io.jtune.bench;

import static io.jtune.bench.BenchSupport.option;
import static io.jtune.bench.BenchSupport.prompts;
import static io.jtune.bench.BenchSupport.median;

import ai.djl.ndarray.NDManager;
import io.jtune.finetune.model.Architecture;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ForwardInput;
import io.jtune.finetune.model.GenerationConfig;
import io.jtune.finetune.model.Generator;
import io.jtune.finetune.model.ModelConfig;
import io.jtune.finetune.model.RandomWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Forward-pass and generation throughput of jtune's decoder on a ~58M-parameter Llama config with
 * seeded random weights, the same shapes as {@code bench/pytorch_eager_llama.py} measures in
 * eager PyTorch. Prints a Markdown table; median of several repeats after warm-up.
 *
 * <pre>java -cp "bench/target/classes:bench/target/lib/*" io.jtune.bench.ModelThroughput [--threads N] [--repeats R]</pre>
 */
public final class ModelThroughput {
    private ModelThroughput() {}

    public static void main(String[] args) {
        int threads = Integer.parseInt(option(args, "--threads", "2"));
        int repeats = Integer.parseInt(option(args, "--repeats", "5"));
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        ModelConfig c = new ModelConfig(Architecture.LLAMA, 32000, 512, 1536, 8, 8, 4, 64, 1e-5, 10000, null,
                false, 2048, "float32", 1, new int[] {2});
        System.out.printf("model: %s, %,d parameters, %d threads%n", c, c.parameterCount(), threads);
        NDManager manager = NDManager.newBaseManager("PyTorch");
        try (CausalLm model = CausalLm.fromTensors(c, manager, RandomWeights.create(c, manager, 1234, 0.02, 0.0))) {
            System.out.println("| measurement | batch | tokens/s (median) | ms per call (median) |");
            System.out.println("|---|---:|---:|---:|");
            for (int batch : new int[] {1, 8}) {
                int[][] ids = prompts(batch, 128, c.vocabSize());
                double ms = median(repeats, () -> {
                    try (NDManager scope = model.manager().newSubManager()) {
                        model.logits(scope, ForwardInput.of(ids), null).toFloatArray();
                    }
                });
                row("forward, seq 128", batch, batch * 128 / (ms / 1000), ms);
            }
            for (boolean cache : new boolean[] {true, false}) {
                for (int batch : new int[] {1, 8}) {
                    List<int[]> prompts = new ArrayList<>(Arrays.asList(prompts(batch, 16, c.vocabSize())));
                    GenerationConfig g = GenerationConfig.greedy(64).withCache(cache);
                    Generator gen = new Generator(model, null);
                    double ms = median(Math.max(1, cache ? repeats : repeats / 2), () -> gen.generate(prompts, g, 0, null));
                    row("greedy generation, 64 new tokens, " + (cache ? "KV cache" : "no cache"), batch,
                            batch * 64 / (ms / 1000), ms);
                }
            }
        }
    }

    private static void row(String what, int batch, double tokensPerSecond, double ms) {
        System.out.printf("| %s | %d | %.1f | %.1f |%n", what, batch, tokensPerSecond, ms);
    }
}
