package io.jtune.bench;

import static io.jtune.bench.BenchSupport.option;
import static io.jtune.bench.BenchSupport.prompts;
import static io.jtune.bench.BenchSupport.median;
import static io.jtune.bench.BenchSupport.kb;

import ai.djl.ndarray.NDManager;
import io.jtune.finetune.lora.LoraConfig;
import io.jtune.finetune.lora.LoraInit;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.lora.TargetModules;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ForwardInput;
import io.jtune.finetune.model.Linear;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.quant.MemoryReport;
import io.jtune.finetune.quant.Quantization;
import java.nio.file.Path;

/**
 * f32 against NF4 on the ~58M-parameter benchmark model (written by {@code LoadMemory --write DIR}):
 * loads it with {@code --quant none|nf4} in this JVM, prints the memory report and the resident set
 * after loading, attaches a LoRA adapter (r=8, random A and B) to every q_proj and v_proj, and
 * times forward passes of 128 tokens (median after warm-up) and one dequantization of every
 * projection. Run once per quantization, each in a fresh JVM, so the resident sets compare.
 *
 * <pre>
 * mvn -B -o -q -pl bench -am -DskipTests package
 * java -cp "bench/target/classes:bench/target/lib/*" io.jtune.bench.LoadMemory --write /tmp/bench58m
 * for q in none nf4; do MALLOC_MMAP_THRESHOLD_=65536 java -Dai.djl.offline=true -Xmx2g \
 *     -cp "bench/target/classes:bench/target/lib/*" io.jtune.bench.Nf4Bench --dir /tmp/bench58m --quant $q; done
 * </pre>
 *
 * {@code MALLOC_MMAP_THRESHOLD_} keeps glibc from holding on to the freed float32 buffers of the
 * quantized projections (without it the resident set after an NF4 load stays at the float32 one).
 */
public final class Nf4Bench {
    private Nf4Bench() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(option(args, "--dir", "/tmp/bench58m"));
        Quantization quant = Quantization.parse(option(args, "--quant", "nf4"));
        int threads = Integer.parseInt(option(args, "--threads", "2"));
        int repeats = Integer.parseInt(option(args, "--repeats", "5"));
        System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        try (NDManager warm = NDManager.newBaseManager("PyTorch")) {
            warm.create(new float[] {1f}).add(warm.create(new float[] {1f})).toFloatArray();
        }
        long rssBefore = kb("VmRSS");
        long start = System.nanoTime();
        try (CausalLm model = ModelLoader.load(dir, quant)) {
            double loadS = (System.nanoTime() - start) / 1e9;
            System.gc(); // direct buffers of closed f32 arrays are freed by their cleaners after a GC
            Thread.sleep(1000);
            System.gc();
            Thread.sleep(500);
            long rss = kb("VmRSS");
            System.out.printf("quant=%s, %d threads: %s%n", quant.id(), threads, MemoryReport.of(model));
            System.out.printf("load %.1f s; RSS %.1f MB after load (%.1f MB before), peak %.1f MB%n", loadS, rss / 1e3,
                    rssBefore / 1e3, kb("VmHWM") / 1e3);
            // the same adapter on both models: LoRA r=8 on q_proj and v_proj, A and B both random (B not zero)
            LoraModel.attach(model, LoraConfig.defaults().withRank(8, 16).withDropout(0).withInit(LoraInit.RANDOM)
                    .withTargets(TargetModules.parse("q_proj,v_proj")), 5);
            System.out.println("| quant | measurement | batch | tokens/s (median) | ms per call (median) |");
            System.out.println("|---|---|---:|---:|---:|");
            for (int batch : new int[] {1, 8}) {
                int[][] ids = prompts(batch, 128, model.config().vocabSize());
                double ms = median(repeats, () -> {
                    try (NDManager scope = model.manager().newSubManager()) {
                        model.logits(scope, ForwardInput.of(ids), null).toFloatArray();
                    }
                });
                System.out.printf("| %s | forward, seq 128, rank-8 adapter on q/v | %d | %.1f | %.1f |%n", quant.id(),
                        batch, batch * 128 / (ms / 1000), ms);
            }
            double deq = median(repeats, () -> {
                try (NDManager scope = model.manager().newSubManager()) {
                    for (Linear l : model.linears().values()) {
                        l.weight().dense(scope).getShape();
                    }
                }
            });
            System.out.printf("| %s | every projection's dense() once (dequantization for nf4) | - | - | %.1f |%n",
                    quant.id(), deq);
        }
    }

}
