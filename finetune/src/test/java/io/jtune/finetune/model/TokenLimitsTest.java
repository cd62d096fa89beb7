package io.jtune.finetune.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenLimitsTest {
    // vocab_size 61, max_position_embeddings 64
    private static final ModelConfig CONFIG = new ModelConfig(Architecture.LLAMA, 61, 32, 48, 1, 4, 2, 8, 1e-5, 1e4,
            null, false, 64, "float32", 1, new int[] {2});
    private static CausalLm model;

    @BeforeAll
    static void build() {
        model = RandomModels.build(CONFIG, 3);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static String forwardError(ForwardInput in, KvCache cache) {
        try (NDManager scope = model.manager().newSubManager()) {
            return assertThrows(IllegalArgumentException.class, () -> model.logits(scope, in, cache)).getMessage();
        }
    }

    @Test
    void aForwardStepRefusesAnIdOutsideTheVocabularyByName() {
        assertEquals("token id 61 (at index 2) is not in the vocabulary: the model has vocab_size 61",
                forwardError(ForwardInput.of(new int[][] {{1, 2, 61}}), null));
        assertEquals("token id -4 (at row 1, index 0) is not in the vocabulary: the model has vocab_size 61",
                forwardError(ForwardInput.of(new int[][] {{1}, {-4}}), null));
    }

    @Test
    void aForwardStepRefusesPositionsBeyondMaxPositionEmbeddings() {
        int[][] tooLong = {new int[65]};
        assertEquals("position 64 (row 0, index 64) is not in [0, max_position_embeddings = 64)",
                forwardError(ForwardInput.of(tooLong), null));
    }

    @Test
    void aForwardStepRefusesMorePositionsThanTheCacheHolds() {
        try (KvCache cache = model.newCache(1, 2)) {
            assertEquals("the KV cache holds 0 positions and has room for 2; 3 more do not fit",
                    forwardError(ForwardInput.of(new int[][] {{1, 2, 3}}), cache));
        }
    }

    @Test
    void generationChecksEveryPromptBeforeTheFirstStep() {
        Generator g = new Generator(model, null);
        assertEquals("the prompt has 60 tokens and up to 5 new tokens make 65 positions; the model has"
                + " max_position_embeddings 64 (shorten the prompt or lower max_new_tokens)",
                assertThrows(IllegalArgumentException.class,
                        () -> g.generate(new int[60], GenerationConfig.greedy(5), null)).getMessage());
        assertEquals("prompt 1: token id 99 (at index 1) is not in the vocabulary: the model has vocab_size 61",
                assertThrows(IllegalArgumentException.class, () -> g.generate(
                        List.of(new int[] {1}, new int[] {3, 99}), GenerationConfig.greedy(2), 0, null)).getMessage());
        assertEquals("pad id 61 is not in the vocabulary: the model has vocab_size 61",
                assertThrows(IllegalArgumentException.class, () -> g.generate(
                        List.of(new int[] {1}, new int[] {3}), GenerationConfig.greedy(2), 61, null)).getMessage());
    }

    @Test
    void aPromptThatFillsEveryPositionIsAccepted() {
        TokenLimits.checkPrompt(CONFIG, new int[64], 0);
        TokenLimits.checkPrompt(CONFIG, new int[60], 4);
        assertEquals("the prompt has 65 tokens; the model has max_position_embeddings 64",
                assertThrows(IllegalArgumentException.class, () -> TokenLimits.checkPrompt(CONFIG, new int[65], 0))
                        .getMessage());
    }
}
