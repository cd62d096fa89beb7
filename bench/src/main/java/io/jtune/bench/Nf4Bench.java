package io.jtune.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ForwardInput;
import io.jtune.finetune.model.Linear;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.quant.MemoryReport;
import io.jtune.finetune.quant.Quantization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * f32 against NF4 on the ~58M-parameter benchmark model (written by {@code LoadMemory --write DIR}):
 * loads it with {@code --quant none|nf4} in this JVM, prints the memory report and the resident set
 * after loading, attaches a rank-8 adapter (B·A·x, random A and B) to every q_proj and v_proj, and
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
            attachAdapters(model, 8);
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

    /** A LoRA-shaped adapter, x·Aᵀ·Bᵀ, on q_proj and v_proj, so both models pay the same adapter cost. */
    private static void attachAdapters(CausalLm model, int r) {
        Random rnd = new Random(5);
        for (Linear l : model.linears().values()) {
            if (l.name().endsWith("q_proj") || l.name().endsWith("v_proj")) {
                NDArray aT = model.manager().create(gaussian(rnd, l.inFeatures() * r, 0.01), new Shape(l.inFeatures(), r));
                NDArray bT = model.manager().create(gaussian(rnd, r * l.outFeatures(), 0.01), new Shape(r, l.outFeatures()));
                l.setAdapter(x -> x.matMul(aT).matMul(bT));
            }
        }
    }

    private static float[] gaussian(Random rnd, long n, double std) {
        float[] out = new float[(int) n];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (rnd.nextGaussian() * std);
        }
        return out;
    }

    private static int[][] prompts(int batch, int length, int vocab) {
        Random r = new Random(99);
        int[][] p = new int[batch][length];
        for (int[] row : p) {
            for (int i = 0; i < length; i++) {
                row[i] = 3 + r.nextInt(vocab - 3);
            }
        }
        return p;
    }

    private static double median(int repeats, Runnable work) {
        work.run();
        work.run();
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long s = System.nanoTime();
            work.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[repeats / 2];
    }

    private static long kb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException(field + " not in /proc/self/status");
    }

    private static String option(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }
}
