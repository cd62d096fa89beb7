package io.jtune.finetune.tokenize.bpe;

/**
 * A {@code tokenizer.json} that {@link JavaBpeEncoder} cannot reproduce exactly; the message says
 * which part. {@link io.jtune.finetune.tokenize.Tokenizer} then encodes with the Rust library.
 */
public final class UnsupportedTokenizerException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnsupportedTokenizerException(String message) {
        super(message);
    }
}
