package io.jtune.finetune.model;

import java.util.Arrays;

/**
 * The shape of a Llama-family decoder, as read from a Hugging Face {@code config.json} (see
 * {@link ModelConfigReader}). Derived values ({@code headDim}, {@code kvGroups}) are filled here.
 *
 * <p>Letters used in shape comments of this package: B batch, T new tokens, S all positions
 * (cached + new), E hidden size, H attention heads, K key/value heads, G = H/K query heads per
 * key/value head, D head dim, F intermediate size, V vocabulary.
 */
public record ModelConfig(
        Architecture architecture,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings,
        String torchDtype,
        Integer bosTokenId,
        int[] eosTokenIds) {

    public ModelConfig {
        positive("vocab_size", vocabSize);
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("head_dim", headDim);
        positive("max_position_embeddings", maxPositionEmbeddings);
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads: " + numHeads
                    + " must be a multiple of num_key_value_heads (" + numKvHeads + ")");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim: " + headDim + " must be even for rotary embeddings");
        }
        if (!(rmsNormEps > 0) || Double.isInfinite(rmsNormEps)) {
            throw new IllegalArgumentException("rms_norm_eps: must be a finite number > 0, got " + rmsNormEps);
        }
        if (!(ropeTheta > 0) || Double.isInfinite(ropeTheta)) {
            throw new IllegalArgumentException("rope_theta: must be a finite number > 0, got " + ropeTheta);
        }
        eosTokenIds = eosTokenIds == null ? new int[0] : eosTokenIds.clone();
        if (bosTokenId != null) {
            tokenId("bos_token_id", bosTokenId, vocabSize);
        }
        for (int i = 0; i < eosTokenIds.length; i++) {
            tokenId("eos_token_id[" + i + "]", eosTokenIds[i], vocabSize);
        }
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + ": must be > 0, got " + value);
        }
    }

    private static void tokenId(String field, int id, int vocabSize) {
        if (id < 0 || id >= vocabSize) {
            throw new IllegalArgumentException(field + ": " + id + " is not in [0, vocab_size = " + vocabSize + ")");
        }
    }

    /** Query heads per key/value head (G). */
    public int kvGroups() {
        return numHeads / numKvHeads;
    }

    /** Number of parameters (embeddings counted once when tied). */
    public long parameterCount() {
        long e = hiddenSize;
        long attn = e * numHeads * headDim + 2 * e * numKvHeads * headDim + (long) numHeads * headDim * e;
        if (architecture.qkvBias()) {
            attn += (long) numHeads * headDim + 2L * numKvHeads * headDim;
        }
        long mlp = 3 * e * intermediateSize;
        long layer = attn + mlp + 2 * e;
        long embed = (long) vocabSize * e;
        return embed + numLayers * layer + e + (tieWordEmbeddings ? 0 : embed);
    }

    @Override
    public int[] eosTokenIds() {
        return eosTokenIds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && architecture == c.architecture && vocabSize == c.vocabSize
                && hiddenSize == c.hiddenSize && intermediateSize == c.intermediateSize && numLayers == c.numLayers
                && numHeads == c.numHeads && numKvHeads == c.numKvHeads && headDim == c.headDim
                && rmsNormEps == c.rmsNormEps && ropeTheta == c.ropeTheta
                && java.util.Objects.equals(ropeScaling, c.ropeScaling) && tieWordEmbeddings == c.tieWordEmbeddings
                && maxPositionEmbeddings == c.maxPositionEmbeddings && java.util.Objects.equals(torchDtype, c.torchDtype)
                && java.util.Objects.equals(bosTokenId, c.bosTokenId) && Arrays.equals(eosTokenIds, c.eosTokenIds);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(architecture, vocabSize, hiddenSize, numLayers, numHeads, numKvHeads, headDim);
    }

    @Override
    public String toString() {
        return architecture.modelType() + "(layers=" + numLayers + ", hidden=" + hiddenSize + ", heads=" + numHeads
                + "/" + numKvHeads + ", head_dim=" + headDim + ", intermediate=" + intermediateSize + ", vocab="
                + vocabSize + (tieWordEmbeddings ? ", tied" : "") + ")";
    }
}
