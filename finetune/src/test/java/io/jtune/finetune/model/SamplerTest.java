package io.jtune.finetune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SamplerTest {
    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenTokens() {
        float[] l = {2f, -2f, 1f};
        Sampler.applyRepetitionPenalty(l, new int[] {0, 1, 1}, 2f);
        assertArrayEquals(new float[] {1f, -4f, 1f}, l);
    }

    @Test
    void greedyTakesTheLargestLogitAfterThePenalty() {
        GenerationConfig c = GenerationConfig.greedy(1).withRepetitionPenalty(4.0);
        assertEquals(1, new Sampler(c).next(new float[] {3f, 2f, 0f}, new int[] {0}));
        assertEquals(0, new Sampler(GenerationConfig.greedy(1)).next(new float[] {3f, 2f, 0f}, new int[] {0}));
    }

    @Test
    void aTinyTopPKeepsOnlyTheMostLikelyToken() {
        Sampler s = new Sampler(GenerationConfig.sampling(1, 1.0, 0.01, 3));
        for (int i = 0; i < 50; i++) {
            assertEquals(2, s.next(new float[] {0f, 1f, 5f, 2f}, new int[0]));
        }
    }

    @Test
    void samplingFollowsTheDistribution() {
        Sampler s = new Sampler(GenerationConfig.sampling(1, 1.0, 1.0, 11));
        float[] logits = {(float) Math.log(0.7), (float) Math.log(0.2), (float) Math.log(0.1)};
        int[] counts = new int[3];
        for (int i = 0; i < 20_000; i++) {
            counts[s.next(logits, new int[0])]++;
        }
        assertEquals(0.7, counts[0] / 20_000.0, 0.02);
        assertEquals(0.2, counts[1] / 20_000.0, 0.02);
        assertEquals(0.1, counts[2] / 20_000.0, 0.02);
    }

    @Test
    void invalidSettingsAreRefusedWithTheirName() {
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.sampling(5, 0, 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> GenerationConfig.sampling(5, 1, 1.5, 1));
        assertEquals("max_new_tokens must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> GenerationConfig.greedy(0)).getMessage());
    }
}
