package io.jtune.bench;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.batch.PackedSequence;
import io.jtune.finetune.data.batch.Packer;
import io.jtune.finetune.data.format.FormattedExample;
import io.jtune.finetune.data.format.LabelMasker;
import io.jtune.finetune.data.format.LabelingResult;
import io.jtune.finetune.data.format.PromptFormat;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.tokenize.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Data preparation throughput: builds {@code N} (default 100,000) synthetic alpaca examples of
 * varied lengths in memory, then formats, tokenizes and labels (on all cores) and packs them to
 * 1024 tokens with the {@code jtune-demo-llama} tokenizer; prints examples/s and seconds per stage.
 * Usage: {@code DataPrepBench [N]}; {@code -Djtune.tokenizer.engine=djl} encodes with DJL instead of
 * the Java encoder.
 */
public final class DataPrepBench {
    private static final String[] WORDS = ("the a model data train of to and in is for that with on as it by this be are"
            + " from at or an was which will can has have not more all one two three new time some these other"
            + " write explain list give describe summarize translate answer question short long number answer river"
            + " mountain city weather language computer program function value table chart sentence paragraph")
            .split(" ");

    private DataPrepBench() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int maxLen = 1024;
        Path dir = Files.createTempDirectory("jtune-dataprep");
        TinyModels.write(dir, TinyModels.DEMO_LLAMA, 1);
        Random random = new Random(12345);
        List<Example> examples = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String instruction = words(random, 4 + random.nextInt(30));
            String input = random.nextBoolean() ? "" : words(random, 1 + random.nextInt(60));
            String output = words(random, 2 + random.nextInt(120));
            examples.add(new Example(List.of(Message.user(instruction), Message.assistant(output)),
                    Map.of("instruction", instruction, "input", input, "output", output), new SourceRef("<bench>", i + 1)));
        }
        try (Tokenizer tokenizer = Tokenizer.load(dir)) {
            System.out.println("tokenizer engine: " + tokenizer.encodingEngine());
            PromptFormat format = PromptFormat.alpaca();
            LabelMasker masker = new LabelMasker(tokenizer, maxLen);
            masker.maskAll(examples.subList(0, Math.min(n, 1000)).stream().map(format::format).toList()); // warm up
            long t0 = System.nanoTime();
            List<FormattedExample> formatted = examples.parallelStream().map(format::format).toList();
            long t1 = System.nanoTime();
            LabelingResult labelled = masker.maskAll(formatted);
            long t2 = System.nanoTime();
            List<PackedSequence> packed = new Packer(maxLen).pack(labelled.examples());
            long t3 = System.nanoTime();
            long tokens = labelled.examples().stream().mapToLong(e -> e.length()).sum();
            long checksum = 0; // of every id and label in order, to compare engines
            for (TokenizedExample e : labelled.examples()) {
                checksum = 31 * checksum + e.hashCode();
            }
            double total = (t3 - t0) / 1e9;
            System.out.printf("examples: %d kept, %d problems; %d tokens (%.0f per example); %d packed sequences of <= %d"
                    + " (%.1f%% full)%n", labelled.examples().size(), labelled.problems().size(), tokens,
                    (double) tokens / Math.max(1, labelled.examples().size()), packed.size(), maxLen,
                    100.0 * tokens / ((double) packed.size() * maxLen));
            System.out.printf("format %.2f s, tokenize+label %.2f s, pack %.2f s on %d cores%n", (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9, (t3 - t2) / 1e9, Runtime.getRuntime().availableProcessors());
            System.out.printf("total %.2f s, %.0f examples/s; checksum of ids and labels %016x%n", total, n / total,
                    checksum);
        }
    }

    private static String words(Random random, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                b.append(random.nextInt(12) == 0 ? ", " : " ");
            }
            b.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return b.append('.').toString();
    }
}
