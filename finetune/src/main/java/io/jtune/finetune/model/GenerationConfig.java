package io.jtune.finetune.model;

import java.util.List;

/**
 * How to choose each new token: greedy, or sampled with temperature, top-k and top-p, after a
 * repetition penalty; when to stop: after {@code maxNewTokens}, at an end-of-sequence id, or when
 * the text contains a stop string (trimmed from the result). Defaults as transformers' generate.
 *
 * @param topK 0 keeps every token
 * @param topP 1 keeps every token
 * @param repetitionPenalty 1 is none; above 1 discourages tokens already in the sequence (Keskar et al. 2019)
 * @param seed for sampling; the same seed gives the same tokens
 */
public record GenerationConfig(
        int maxNewTokens,
        boolean greedy,
        double temperature,
        int topK,
        double topP,
        double repetitionPenalty,
        long seed,
        int[] eosIds,
        List<String> stopStrings,
        boolean useCache) {

    public GenerationConfig {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max_new_tokens must be at least 1, got " + maxNewTokens);
        }
        if (!greedy && !(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be > 0 when sampling, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException("repetition_penalty must be > 0, got " + repetitionPenalty);
        }
        eosIds = eosIds == null ? new int[0] : eosIds.clone();
        stopStrings = stopStrings == null ? List.of() : List.copyOf(stopStrings);
    }

    /** Greedy decoding of up to {@code maxNewTokens}, stopping at the given end-of-sequence ids. */
    public static GenerationConfig greedy(int maxNewTokens, int... eosIds) {
        return new GenerationConfig(maxNewTokens, true, 1.0, 0, 1.0, 1.0, 0, eosIds, List.of(), true);
    }

    /** Sampling with temperature and top-p (top-k off). */
    public static GenerationConfig sampling(int maxNewTokens, double temperature, double topP, long seed, int... eosIds) {
        return new GenerationConfig(maxNewTokens, false, temperature, 0, topP, 1.0, seed, eosIds, List.of(), true);
    }

    public GenerationConfig withTopK(int k) {
        return new GenerationConfig(maxNewTokens, greedy, temperature, k, topP, repetitionPenalty, seed, eosIds, stopStrings, useCache);
    }

    public GenerationConfig withRepetitionPenalty(double p) {
        return new GenerationConfig(maxNewTokens, greedy, temperature, topK, topP, p, seed, eosIds, stopStrings, useCache);
    }

    public GenerationConfig withStopStrings(List<String> stops) {
        return new GenerationConfig(maxNewTokens, greedy, temperature, topK, topP, repetitionPenalty, seed, eosIds, stops, useCache);
    }

    public GenerationConfig withCache(boolean on) {
        return new GenerationConfig(maxNewTokens, greedy, temperature, topK, topP, repetitionPenalty, seed, eosIds, stopStrings, on);
    }

    @Override
    public int[] eosIds() {
        return eosIds.clone();
    }
}
