package io.jtune.finetune.tokenize;

/**
 * A {@code tokenizer.json} that {@link JavaBpeEncoder} cannot reproduce exactly; the message says
 * which part. {@link Tokenizer} then encodes with the Rust library.
 */
final class UnsupportedTokenizerException extends Exception {
    private static final long serialVersionUID = 1L;

    UnsupportedTokenizerException(String message) {
        super(message);
    }
}
