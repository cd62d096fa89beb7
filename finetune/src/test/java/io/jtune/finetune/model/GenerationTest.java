package io.jtune.finetune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class GenerationTest {
    private static CausalLm model(Architecture arch) {
        return RandomModels.build(RandomModels.config(arch, 2, arch == Architecture.QWEN2, null), 7);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void generationWithTheKvCacheGivesTheSameTokensAsWithout(Architecture arch) {
        try (CausalLm m = model(arch)) {
            Generator g = new Generator(m, null);
            int[] prompt = {5, 9, 13, 17, 21};
            GenerationConfig greedy = GenerationConfig.greedy(16);
            GenerationResult cached = g.generate(prompt, greedy, null);
            GenerationResult recomputed = g.generate(prompt, greedy.withCache(false), null);
            assertArrayEquals(recomputed.tokens(), cached.tokens());
            assertEquals(16, cached.tokens().length);
        }
    }

    @Test
    void aLeftPaddedBatchGeneratesWhatEachPromptGeneratesAlone() {
        try (CausalLm m = model(Architecture.LLAMA)) {
            Generator g = new Generator(m, null);
            List<int[]> prompts = List.of(new int[] {3, 4, 5, 6, 7, 8}, new int[] {9, 10}, new int[] {11, 12, 13});
            GenerationConfig greedy = GenerationConfig.greedy(10);
            List<GenerationResult> batch = g.generate(prompts, greedy, 0, null);
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(g.generate(prompts.get(i), greedy, null).tokens(), batch.get(i).tokens(), "row " + i);
            }
        }
    }

    @Test
    void paddedRowsGiveTheSameLogitsAsUnpaddedOnes() {
        try (CausalLm m = model(Architecture.QWEN2); NDManager scope = m.manager().newSubManager()) {
            int[] seq = {4, 8, 15, 16, 23};
            float[] alone = m.logits(scope, ForwardInput.of(new int[][] {seq}), null).toFloatArray();
            NDArray padded = m.logits(scope, ForwardInput.leftPadded(new int[][] {{1, 2, 3, 4, 5, 6, 7}, seq}, 0), null);
            float[] row = padded.get("1, 2:, :").toFloatArray();
            assertEquals(alone.length, row.length);
            for (int i = 0; i < row.length; i++) {
                assertEquals(alone[i], row[i], 1e-5, "logit " + i);
            }
        }
    }

    @Test
    void generationStopsAtEndOfSequenceAndSaysWhy() {
        try (CausalLm m = model(Architecture.LLAMA)) {
            Generator g = new Generator(m, null);
            int[] prompt = {5, 9, 13};
            int[] free = g.generate(prompt, GenerationConfig.greedy(8), null).tokens();
            GenerationResult r = g.generate(prompt, GenerationConfig.greedy(8, free[2]), null);
            assertEquals("eos", r.stopReason());
            assertArrayEquals(Arrays.copyOf(free, 3), r.tokens());
            assertEquals("length", g.generate(prompt, GenerationConfig.greedy(4), null).stopReason());
        }
    }

    @Test
    void stopStringsEndGenerationAndAreTrimmedFromTheText() {
        try (CausalLm m = model(Architecture.LLAMA)) {
            Generator g = new Generator(m, ids -> Arrays.toString(ids));
            int[] free = g.generate(new int[] {5, 9}, GenerationConfig.greedy(6), null).tokens();
            String stop = ", " + free[2] + ",";
            GenerationResult r = g.generate(new int[] {5, 9},
                    GenerationConfig.greedy(6).withStopStrings(List.of(stop)), null);
            assertEquals("stop_string", r.stopReason());
            assertEquals("[" + free[0] + ", " + free[1], r.text());
        }
    }

    @Test
    void theListenerSeesEveryTokenInOrder() {
        try (CausalLm m = model(Architecture.MISTRAL)) {
            StringBuilder seen = new StringBuilder();
            GenerationResult r = new Generator(m, null).generate(new int[] {1, 2, 3}, GenerationConfig.greedy(5),
                    (row, token, text) -> seen.append(token).append(' '));
            StringBuilder expected = new StringBuilder();
            for (int t : r.tokens()) {
                expected.append(t).append(' ');
            }
            assertEquals(expected.toString(), seen.toString());
        }
    }

    @Test
    void samplingWithTheSameSeedRepeatsAndTopKOfOneIsGreedy() {
        try (CausalLm m = model(Architecture.LLAMA)) {
            Generator g = new Generator(m, null);
            int[] prompt = {7, 8, 9};
            GenerationConfig s = GenerationConfig.sampling(12, 1.5, 0.95, 42);
            assertArrayEquals(g.generate(prompt, s, null).tokens(), g.generate(prompt, s, null).tokens());
            assertArrayEquals(g.generate(prompt, GenerationConfig.greedy(12), null).tokens(),
                    g.generate(prompt, s.withTopK(1), null).tokens());
        }
    }

    @Test
    void generatingAThousandTokensLeavesNoArraysBehind() {
        try (CausalLm m = model(Architecture.LLAMA)) {
            int before = m.manager().getManagedArrays().size();
            Generator g = new Generator(m, null);
            g.generate(new int[] {1, 2, 3}, GenerationConfig.greedy(1000), null);
            assertEquals(before, m.manager().getManagedArrays().size(), "arrays left in the model's manager");
        }
    }

    @Test
    void anInterruptedThreadStopsGenerating() {
        try (CausalLm m = model(Architecture.LLAMA)) {
            Thread.currentThread().interrupt();
            try {
                assertThrows(CancellationException.class,
                        () -> new Generator(m, null).generate(new int[] {1}, GenerationConfig.greedy(50), null));
            } finally {
                assertTrue(Thread.interrupted());
            }
        }
    }
}
