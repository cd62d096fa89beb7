package io.jtune.finetune.tokenize;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Checks a parsed {@code tokenizer.json} for what makes the Rust {@code tokenizers} library (0.21,
 * as DJL 0.35 ships it) panic instead of returning an error. A panic cannot cross DJL's JNI
 * boundary, so it aborts the whole JVM (exit status 134, "fatal runtime error: failed to initiate
 * panic"), which in a notebook kills the kernel; {@link Tokenizer#load} therefore checks first.
 *
 * <p>The one trigger known: a BPE model with a {@code continuing_subword_prefix}. While building
 * the model, the library forms each merge's result as {@code left + right[n..]}, cutting the
 * prefix's length {@code n} (in UTF-8 bytes) off the right-hand token without checking that the
 * token starts with the prefix; a right-hand token shorter than {@code n} bytes, or one whose
 * {@code n}-th byte is inside a character, makes the slice panic ({@code models/bpe/model.rs}:
 * "byte index 2 is out of bounds of `t`").
 */
final class NativeTokenizerCheck {
    private NativeTokenizerCheck() {}

    /**
     * Throws when the library would abort the JVM on {@code json}, read from {@code file}.
     * Anything else malformed is left for the library, which reports it as an error.
     *
     * @throws IllegalArgumentException naming the file, the field and the offending merge
     */
    static void check(Object json, Path file) {
        if (!(json instanceof Map<?, ?> root) || !(root.get("model") instanceof Map<?, ?> model)
                || !"BPE".equals(model.get("type"))
                || !(model.get("continuing_subword_prefix") instanceof String prefix) || prefix.isEmpty()
                || !(model.get("merges") instanceof List<?> merges)) {
            return;
        }
        int cut = prefix.getBytes(StandardCharsets.UTF_8).length;
        for (int rank = 0; rank < merges.size(); rank++) {
            String right = rightToken(merges.get(rank));
            if (right != null && !cutsCleanly(right, cut)) {
                throw new IllegalArgumentException(file + ": model.merges[" + rank + "] has the right-hand token \""
                        + right + "\", which does not start with model.continuing_subword_prefix \"" + prefix
                        + "\" and is too short to have it cut off; the Hugging Face tokenizers library would abort"
                        + " the JVM on this file. Remove continuing_subword_prefix (byte-level BPE models have"
                        + " none) or fix the merges.");
            }
        }
    }

    /** The right-hand token of a merge, {@code "left right"} or {@code ["left", "right"]}; {@code null} when malformed. */
    private static String rightToken(Object merge) {
        if (merge instanceof String s) {
            int space = s.indexOf(' ');
            return space < 0 ? null : s.substring(space + 1);
        }
        if (merge instanceof List<?> pair && pair.size() == 2 && pair.get(1) instanceof String s) {
            return s;
        }
        return null;
    }

    /** Whether Rust's {@code &token[cut..]} succeeds: {@code cut} is at most the byte length and on a character boundary. */
    private static boolean cutsCleanly(String token, int cut) {
        int bytes = 0;
        for (int i = 0; i < token.length() && bytes < cut; ) {
            int cp = token.codePointAt(i);
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            i += Character.charCount(cp);
        }
        return bytes == cut;
    }
}
