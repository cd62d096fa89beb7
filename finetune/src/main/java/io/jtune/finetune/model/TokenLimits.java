package io.jtune.finetune.model;

/**
 * The two limits a model puts on its input, checked before any tensor is built so that a bad id
 * or an overlong prompt fails at once with the limit's name instead of deep in the embedding
 * lookup ("index out of range in self"): every id must be below {@code vocab_size}, and every
 * position below {@code max_position_embeddings}.
 */
public final class TokenLimits {
    private TokenLimits() {}

    /**
     * Checks a prompt that will be followed by up to {@code newTokens} generated tokens (0 to only
     * read the prompt).
     *
     * @throws IllegalArgumentException naming the id or the length and the config field it breaks
     */
    public static void checkPrompt(ModelConfig config, int[] ids, int newTokens) {
        checkIds(config, ids);
        int max = config.maxPositionEmbeddings();
        if ((long) ids.length + newTokens > max) {
            throw new IllegalArgumentException(newTokens == 0
                    ? "the prompt has " + ids.length + " tokens; the model has max_position_embeddings " + max
                    : "the prompt has " + ids.length + " tokens and up to " + newTokens + " new tokens make "
                            + ((long) ids.length + newTokens) + " positions; the model has max_position_embeddings "
                            + max + " (shorten the prompt or lower max_new_tokens)");
        }
    }

    /** Checks that every id is in [0, vocab_size). */
    public static void checkIds(ModelConfig config, int[] ids) {
        for (int i = 0; i < ids.length; i++) {
            checkId(config, ids[i], "index " + i);
        }
    }

    private static void checkId(ModelConfig config, long id, String where) {
        if (id < 0 || id >= config.vocabSize()) {
            throw new IllegalArgumentException("token id " + id + " (at " + where + ") is not in the"
                    + " vocabulary: the model has vocab_size " + config.vocabSize());
        }
    }

    /** Checks one forward step's ids and positions, and that a cache has room for them. */
    static void checkStep(ModelConfig config, ForwardInput in, KvCache cache) {
        int max = config.maxPositionEmbeddings();
        for (int b = 0; b < in.batch(); b++) {
            long[] ids = in.ids()[b];
            long[] positions = in.positions()[b];
            for (int i = 0; i < ids.length; i++) {
                checkId(config, ids[i], in.batch() == 1 ? "index " + i : "row " + b + ", index " + i);
                if (positions[i] < 0 || positions[i] >= max) {
                    throw new IllegalArgumentException("position " + positions[i] + " (row " + b + ", index " + i
                            + ") is not in [0, max_position_embeddings = " + max + ")");
                }
            }
        }
        if (cache != null && cache.length() + in.length() > cache.capacity()) {
            throw new IllegalArgumentException("the KV cache holds " + cache.length() + " positions and has room for "
                    + cache.capacity() + "; " + in.length() + " more do not fit");
        }
    }
}
