package io.jtune.finetune.tokenize.bpe;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.jtune.finetune.json.PythonJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the Rust {@code tokenizers} library (through DJL) which code points a regular expression of
 * a pre-tokenizer matches, one code point at a time, and writes {@code unicode-classes.txt}, the
 * table {@link UnicodeClasses} reads.
 *
 * <p>The probe is a tokenizer whose pre-tokenizer is {@code Split(pattern, Removed)} and whose
 * model is a WordLevel vocabulary of one unknown token: every run of code points the pattern does
 * not match becomes one token, so the code points no token span covers are those it matches. All
 * 1,112,064 code points (surrogates excepted) go through in chunks, about a second per pattern.
 *
 * <p>Run {@link #main} with the resource folder to rewrite the table after a DJL upgrade:
 * {@code finetune/src/main/resources/io/jtune/finetune/tokenize/bpe}.
 */
final class UnicodeClassesProbe {
    /** The patterns of the table, by the letter that names them in it. */
    static final Map<Character, String> PATTERNS = new LinkedHashMap<>();

    static {
        PATTERNS.put('L', "\\p{L}");
        PATTERNS.put('N', "\\p{N}");
        PATTERNS.put('S', "\\s");
    }

    private UnicodeClassesProbe() {}

    /** For each code point (index), whether the library's regex engine matches it with {@code pattern}. */
    static boolean[] matches(String pattern) {
        String json = "{\"version\": \"1.0\", \"added_tokens\": [], \"normalizer\": null,"
                + " \"pre_tokenizer\": {\"type\": \"Split\", \"pattern\": {\"Regex\": " + PythonJson.dumps(pattern)
                + "}, \"behavior\": \"Removed\", \"invert\": false}, \"post_processor\": null, \"decoder\": null,"
                + " \"model\": {\"type\": \"WordLevel\", \"vocab\": {\"[UNK]\": 0}, \"unk_token\": \"[UNK]\"}}";
        boolean[] member = new boolean[Character.MAX_CODE_POINT + 1];
        Map<String, String> options = Map.of("truncation", "false", "padding", "false");
        try (HuggingFaceTokenizer probe = HuggingFaceTokenizer.newInstance(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), options)) {
            int chunk = 8192;
            for (int base = 0; base <= Character.MAX_CODE_POINT; base += chunk) {
                StringBuilder text = new StringBuilder();
                List<Integer> codePoints = new ArrayList<>();
                for (int cp = base; cp < base + chunk; cp++) {
                    if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
                        text.appendCodePoint(cp);
                        codePoints.add(cp);
                    }
                }
                if (codePoints.isEmpty()) {
                    continue;
                }
                boolean[] covered = new boolean[codePoints.size()];
                for (CharSpan span : probe.encode(text.toString(), false, false).getCharTokenSpans()) {
                    for (int i = span.getStart(); i < span.getEnd(); i++) {
                        covered[i] = true;
                    }
                }
                for (int i = 0; i < covered.length; i++) {
                    member[codePoints.get(i)] = !covered[i];
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot build the probe tokenizer", e);
        }
        return member;
    }

    /** The table's text: a comment, then one line per range, {@code "L 0041 005A"}. */
    static String table() {
        StringBuilder out = new StringBuilder();
        out.append("# The code points that \\p{L} (L), \\p{N} (N) and \\s (S) match in the regular expressions of\n")
                .append("# Hugging Face tokenizers' pre-tokenizers (Oniguruma), as the library that DJL bundles sees\n")
                .append("# them. Written by UnicodeClassesProbe (finetune test sources); do not edit by hand.\n");
        for (Map.Entry<Character, String> e : PATTERNS.entrySet()) {
            boolean[] member = matches(e.getValue());
            for (int cp = 0; cp < member.length; cp++) {
                if (member[cp]) {
                    int last = cp;
                    while (last + 1 < member.length && member[last + 1]) {
                        last++;
                    }
                    out.append(e.getKey()).append(String.format(" %04X %04X%n", cp, last));
                    cp = last;
                }
            }
        }
        return out.toString();
    }

    /** Writes {@code unicode-classes.txt} into the folder {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]).resolve(UnicodeClasses.RESOURCE), table(), StandardCharsets.UTF_8);
    }
}
