package io.jtune.finetune.tokenize;

import java.nio.file.Path;
import java.util.Map;

/**
 * Puts the file, and where it can the field, into errors that the Rust {@code tokenizers}
 * library raises while encoding or decoding. The library names neither: a WordPiece or WordLevel
 * model whose {@code unk_token} is not in its vocabulary loads, then fails on the first unknown
 * word with "WordPiece error: Missing [UNK] token from the vocabulary"; a Unigram model without
 * {@code unk_id} fails with "Encountered an unknown token but `unk_id` is missing".
 */
final class LibraryErrors {
    private final Path file;
    private final String cause;

    private LibraryErrors(Path file, String cause) {
        this.file = file;
        this.cause = cause;
    }

    /** Reads, from the parsed {@code tokenizer.json}, the fields known to make encoding fail. */
    static LibraryErrors of(Object json, Path file) {
        return new LibraryErrors(file, knownCause(json));
    }

    /**
     * The error to throw for the library's {@code e} while doing {@code what} ("encode the text"):
     * {@code file: field: what is wrong (the library's message)} when a field explains it, else
     * {@code file: the library's message}.
     */
    IllegalArgumentException wrap(RuntimeException e, String what) {
        String message = String.valueOf(e.getMessage());
        boolean explained = cause != null && message.toLowerCase(java.util.Locale.ROOT).contains("unk");
        return new IllegalArgumentException(file + ": " + (explained ? cause + " (" : "") + "the tokenizers library"
                + " could not " + what + ": " + message + (explained ? ")" : ""), e);
    }

    private static String knownCause(Object json) {
        if (!(json instanceof Map<?, ?> root) || !(root.get("model") instanceof Map<?, ?> model)) {
            return null;
        }
        Object type = model.get("type");
        if ("WordPiece".equals(type) || "WordLevel".equals(type)) {
            Object unk = model.get("unk_token");
            boolean known = model.get("vocab") instanceof Map<?, ?> vocab && vocab.containsKey(unk);
            return known ? null : "model.unk_token: " + quoted(unk) + " is not in model.vocab, so a word the"
                    + " vocabulary lacks cannot be encoded";
        }
        if ("Unigram".equals(type) && model.get("unk_id") == null) {
            return "model.unk_id: is null, so a piece the vocabulary lacks cannot be encoded";
        }
        return null;
    }

    private static String quoted(Object token) {
        return token instanceof String s ? "\"" + s + "\"" : String.valueOf(token);
    }
}
