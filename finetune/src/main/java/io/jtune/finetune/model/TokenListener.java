package io.jtune.finetune.model;

/** Told of every generated token as it is chosen, for streaming output into a notebook or console. */
@FunctionalInterface
public interface TokenListener {
    /**
     * @param row which sequence of the batch
     * @param tokenId the new token
     * @param text the row's generated text so far (empty when the generator has no decoder)
     */
    void onToken(int row, int tokenId, String text);
}
