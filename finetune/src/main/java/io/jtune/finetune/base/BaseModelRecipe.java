package io.jtune.finetune.base;

import io.jtune.finetune.model.Architecture;
import io.jtune.finetune.model.TinyModels;

/**
 * How the built-in base model is made: its shape, its pre-training text and the full training run
 * over that text.
 *
 * @param spec the model's shape and tokenizer size
 * @param conversations how many {@link io.jtune.finetune.data.samples.LegalPretrainCorpus}
 *     conversations to pre-train on
 * @param tokenizerConversations how many of them (the first ones) the BPE merges are learned from
 * @param seqLen the length of a packed training row
 * @param batch packed rows per optimizer step
 * @param epochs passes over the conversations
 * @param learningRate the peak learning rate (cosine schedule after warmup)
 * @param warmupRatio the share of the steps spent warming up
 * @param weightDecay AdamW's decoupled weight decay
 * @param seed the seed of the corpus, the initial weights and the data order
 */
public record BaseModelRecipe(TinyModels.Spec spec, int conversations, int tokenizerConversations, int seqLen,
        int batch, double epochs, double learningRate, double warmupRatio, double weightDecay, long seed) {

    /** The shape of the built-in base: about 1M parameters, a 2,048-token vocabulary, tied embeddings. */
    public static final TinyModels.Spec SPEC = new TinyModels.Spec("jtune-base-1m", Architecture.LLAMA, 2048, 128, 384,
            4, 4, 2, true, 512);

    public BaseModelRecipe {
        if (conversations < 1 || tokenizerConversations < 1 || seqLen < 16 || batch < 1 || !(epochs > 0)) {
            throw new IllegalArgumentException("the recipe needs conversations, a row length of at least 16, a batch"
                    + " and epochs: " + conversations + ", " + seqLen + ", " + batch + ", " + epochs);
        }
    }

    /** The recipe of the shipped base model. */
    public static BaseModelRecipe standard() {
        return new BaseModelRecipe(SPEC, 50_000, 6_000, 256, 16, 1, 3e-3, 0.02, 0.01, 7);
    }

    /** This recipe with {@code conversations} conversations (tests use a few hundred). */
    public BaseModelRecipe withConversations(int conversations, int tokenizerConversations) {
        return new BaseModelRecipe(spec, conversations, tokenizerConversations, seqLen, batch, epochs, learningRate,
                warmupRatio, weightDecay, seed);
    }

    /** This recipe with packed rows of {@code seqLen} tokens, {@code batch} rows per step. */
    public BaseModelRecipe withRows(int seqLen, int batch) {
        return new BaseModelRecipe(spec, conversations, tokenizerConversations, seqLen, batch, epochs, learningRate,
                warmupRatio, weightDecay, seed);
    }

    /** This recipe with another shape. */
    public BaseModelRecipe withSpec(TinyModels.Spec spec) {
        return new BaseModelRecipe(spec, conversations, tokenizerConversations, seqLen, batch, epochs, learningRate,
                warmupRatio, weightDecay, seed);
    }
}
