package io.jtune.finetune.model;

/**
 * What generation produced for one prompt: the new token ids, their text (when a decoder was
 * given) and why it stopped: "eos", "stop_string" or "length".
 */
public record GenerationResult(int[] tokens, String text, String stopReason) {
    @Override
    public int[] tokens() {
        return tokens.clone();
    }
}
