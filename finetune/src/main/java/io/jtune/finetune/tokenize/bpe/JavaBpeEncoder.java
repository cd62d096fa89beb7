package io.jtune.finetune.tokenize.bpe;

import io.jtune.finetune.json.PythonJson;
import java.nio.CharBuffer;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Encodes text for a byte-level BPE {@code tokenizer.json} (the GPT-2, Llama 3 and Qwen2 families)
 * in Java, with the ids and offsets that the Rust {@code tokenizers} library gives through DJL, so
 * that {@link io.jtune.finetune.tokenize.Tokenizer} need not cross into native code for every text.
 *
 * <p>The steps are the library's: added tokens are split out of the raw text (then, in the pieces
 * between them, the normalized added tokens); each remaining piece is normalized, pre-tokenized by
 * a regular expression ({@link PreTokenizerRegex}) into words, and each word's UTF-8 bytes are
 * merged by the BPE model ({@link BpeModel}); the post-processor's special tokens are added around
 * the result. A token's offsets are the Java {@code String} indexes of the characters its bytes
 * came from, a character split over several tokens counting whole in each.
 *
 * <p>Only configurations whose every step is reproduced exactly are accepted ({@link #read} says
 * what is not), and a text that one of them cannot take (an unpaired surrogate, or a piece whose
 * NFC form cannot be aligned with it exactly, see {@link NfcAlignment}) makes {@link #encode}
 * return {@code null}, for the caller to ask the library.
 *
 * <p>Thread-safe: each thread has its own word cache and working arrays.
 */
public final class JavaBpeEncoder {
    private final BpeModel model;
    private final boolean nfc;
    private final AddedTokenMatcher rawTokens;
    private final AddedTokenMatcher normalizedTokens;
    private final Set<String> addedTokens;
    /** The words of a piece; {@code null} when a piece is one word. */
    private final PreTokenizerRegex regex;
    private final boolean addPrefixSpace;
    private final int[] prefixIds;
    private final int[] suffixIds;
    private final String description;
    private final ThreadLocal<Work> work = ThreadLocal.withInitial(Work::new);

    private JavaBpeEncoder(BpeModel model, boolean nfc, AddedTokenMatcher rawTokens,
            AddedTokenMatcher normalizedTokens, Set<String> addedTokens, PreTokenizerRegex regex,
            boolean addPrefixSpace, int[] prefixIds, int[] suffixIds, String description) {
        this.model = model;
        this.nfc = nfc;
        this.rawTokens = rawTokens;
        this.normalizedTokens = normalizedTokens;
        this.addedTokens = addedTokens;
        this.regex = regex;
        this.addPrefixSpace = addPrefixSpace;
        this.prefixIds = prefixIds;
        this.suffixIds = suffixIds;
        this.description = description;
    }

    /**
     * The encoder of a parsed {@code tokenizer.json}.
     *
     * @throws UnsupportedTokenizerException naming the first part this class does not reproduce
     *     exactly (the normalizer, pre-tokenizer, model, an added token's flags, the post-processor)
     */
    public static JavaBpeEncoder read(Object json) throws UnsupportedTokenizerException {
        if (!(json instanceof Map<?, ?> root)) {
            throw new UnsupportedTokenizerException("the top level is not an object");
        }
        boolean nfc = readNormalizer(root.get("normalizer"));
        PreTokenizer preTokenizer = readPreTokenizer(root.get("pre_tokenizer"));
        PreTokenizerRegex regex = preTokenizer.regex();
        boolean addPrefixSpace = preTokenizer.addPrefixSpace();
        if (!(root.get("model") instanceof Map<?, ?> modelJson)) {
            throw new UnsupportedTokenizerException("there is no model object");
        }
        BpeModel model = BpeModel.read(modelJson);

        List<String> raw = new ArrayList<>();
        List<Integer> rawIds = new ArrayList<>();
        List<String> normalized = new ArrayList<>();
        List<Integer> normalizedIds = new ArrayList<>();
        Set<String> addedTokens = new LinkedHashSet<>();
        Object added = root.get("added_tokens");
        List<?> addedList = added == null ? List.of() : added instanceof List<?> l ? l : null;
        if (addedList == null) {
            throw new UnsupportedTokenizerException("added_tokens is not a list");
        }
        for (int i = 0; i < addedList.size(); i++) {
            if (!(addedList.get(i) instanceof Map<?, ?> token) || !(token.get("content") instanceof String content)
                    || !(token.get("id") instanceof Long id) || id < 0 || id > Integer.MAX_VALUE) {
                throw new UnsupportedTokenizerException("added_tokens[" + i + "] has no string content or no id");
            }
            for (String flag : new String[] {"single_word", "lstrip", "rstrip"}) {
                if (token.get(flag) != null && !Boolean.FALSE.equals(token.get(flag))) {
                    throw new UnsupportedTokenizerException("added token " + content + " has " + flag + " set");
                }
            }
            if (!(token.get("normalized") instanceof Boolean isNormalized)) {
                throw new UnsupportedTokenizerException("added token " + content + " does not say whether it is"
                        + " normalized");
            }
            if (content.isEmpty() || !wellFormed(content)) {
                throw new UnsupportedTokenizerException("added_tokens[" + i + "] is empty or not valid Unicode");
            }
            if (isNormalized && nfc && !Normalizer.isNormalized(content, Normalizer.Form.NFC)) {
                throw new UnsupportedTokenizerException("added token " + content + " is normalized but not in NFC");
            }
            (isNormalized ? normalized : raw).add(content);
            (isNormalized ? normalizedIds : rawIds).add(id.intValue());
            addedTokens.add(content);
        }

        List<Integer> prefix = new ArrayList<>();
        List<Integer> suffix = new ArrayList<>();
        readPostProcessor(root.get("post_processor"), prefix, suffix);

        String description = "byte-level BPE" + (nfc ? ", NFC" : "") + ", "
                + (regex == null ? "no pre-tokenizer regex" : regex.name() + " pre-tokenizer regex")
                + (addPrefixSpace ? " with a prefix space" : "") + ", " + addedTokens.size() + " added tokens";
        return new JavaBpeEncoder(model, nfc, new AddedTokenMatcher(raw, rawIds),
                new AddedTokenMatcher(normalized, normalizedIds), addedTokens, regex, addPrefixSpace,
                prefix.stream().mapToInt(Integer::intValue).toArray(),
                suffix.stream().mapToInt(Integer::intValue).toArray(), description);
    }

    /** Whether the normalizer is NFC; {@code false} for none. */
    private static boolean readNormalizer(Object json) throws UnsupportedTokenizerException {
        if (json == null) {
            return false;
        }
        List<?> steps = sequence(json, "normalizers");
        boolean nfc = false;
        for (Object step : steps) {
            if (!(step instanceof Map<?, ?> m) || !"NFC".equals(m.get("type"))) {
                throw new UnsupportedTokenizerException("the normalizer " + describe(step) + " is not supported"
                        + " (only none or NFC)");
            }
            nfc = true;
        }
        return nfc;
    }

    /**
     * A supported pre-tokenizer: the regex that splits a piece into words ({@code null} for none)
     * and whether a space is prepended to each piece.
     */
    private record PreTokenizer(PreTokenizerRegex regex, boolean addPrefixSpace) {}

    private static PreTokenizer readPreTokenizer(Object json) throws UnsupportedTokenizerException {
        if (json == null) {
            throw new UnsupportedTokenizerException("there is no pre-tokenizer, so it is not byte-level");
        }
        List<?> steps = sequence(json, "pretokenizers");
        if (steps.size() == 1 && isType(steps.get(0), "ByteLevel")) {
            Map<?, ?> byteLevel = (Map<?, ?>) steps.get(0);
            return new PreTokenizer(useRegex(byteLevel) ? PreTokenizerRegex.GPT2 : null, addPrefixSpace(byteLevel));
        }
        if (steps.size() == 2 && isType(steps.get(0), "Split") && isType(steps.get(1), "ByteLevel")) {
            Map<?, ?> split = (Map<?, ?>) steps.get(0);
            Map<?, ?> byteLevel = (Map<?, ?>) steps.get(1);
            if (useRegex(byteLevel) || addPrefixSpace(byteLevel)) {
                throw new UnsupportedTokenizerException("the ByteLevel pre-tokenizer after Split has use_regex or"
                        + " add_prefix_space set");
            }
            if (!"Isolated".equals(split.get("behavior")) || !Boolean.FALSE.equals(split.get("invert"))) {
                throw new UnsupportedTokenizerException("the Split pre-tokenizer is not behavior Isolated with"
                        + " invert false");
            }
            if (!(split.get("pattern") instanceof Map<?, ?> pattern) || pattern.size() != 1
                    || !(pattern.get("Regex") instanceof String source)) {
                throw new UnsupportedTokenizerException("the Split pre-tokenizer's pattern is not a Regex");
            }
            PreTokenizerRegex regex = PreTokenizerRegex.forPattern(source);
            if (regex == null) {
                throw new UnsupportedTokenizerException("the Split pre-tokenizer's regex is not one of GPT-2's,"
                        + " Llama 3's or Qwen2's: " + source);
            }
            return new PreTokenizer(regex, false);
        }
        throw new UnsupportedTokenizerException("the pre-tokenizer " + describe(json) + " is not ByteLevel, nor"
                + " Split(Regex) then ByteLevel");
    }

    private static boolean useRegex(Map<?, ?> byteLevel) throws UnsupportedTokenizerException {
        Object value = byteLevel.get("use_regex");
        if (value == null) {
            return true; // the library's default
        }
        if (!(value instanceof Boolean b)) {
            throw new UnsupportedTokenizerException("ByteLevel's use_regex is not true or false");
        }
        return b;
    }

    private static boolean addPrefixSpace(Map<?, ?> byteLevel) throws UnsupportedTokenizerException {
        if (!(byteLevel.get("add_prefix_space") instanceof Boolean b)) {
            throw new UnsupportedTokenizerException("ByteLevel's add_prefix_space is not true or false");
        }
        return b;
    }

    /**
     * Reads the post-processor into the ids it puts before and after the text when special tokens
     * are added: none for ByteLevel without offset trimming, the template's special tokens for
     * TemplateProcessing, both in turn for a Sequence.
     */
    private static void readPostProcessor(Object json, List<Integer> prefix, List<Integer> suffix)
            throws UnsupportedTokenizerException {
        if (json == null) {
            return;
        }
        for (Object step : sequence(json, "processors")) {
            if (isType(step, "ByteLevel")) {
                if (!Boolean.FALSE.equals(((Map<?, ?>) step).get("trim_offsets"))) {
                    throw new UnsupportedTokenizerException("the ByteLevel post-processor trims offsets");
                }
            } else if (isType(step, "TemplateProcessing")) {
                Map<?, ?> template = (Map<?, ?>) step;
                if (!(template.get("single") instanceof List<?> pieces)
                        || !(template.get("special_tokens") instanceof Map<?, ?> specials)) {
                    throw new UnsupportedTokenizerException("TemplateProcessing has no single template or special"
                            + " tokens");
                }
                List<Integer> before = new ArrayList<>();
                List<Integer> after = new ArrayList<>();
                int sequences = 0;
                for (Object piece : pieces) {
                    if (piece instanceof Map<?, ?> p && p.get("Sequence") instanceof Map<?, ?> seq && p.size() == 1) {
                        if (!"A".equals(seq.get("id"))) {
                            throw new UnsupportedTokenizerException("the single template has sequence " + seq.get("id"));
                        }
                        sequences++;
                    } else if (piece instanceof Map<?, ?> p && p.get("SpecialToken") instanceof Map<?, ?> special
                            && p.size() == 1 && specials.get(special.get("id")) instanceof Map<?, ?> definition
                            && definition.get("ids") instanceof List<?> ids) {
                        for (Object id : ids) {
                            if (!(id instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                                throw new UnsupportedTokenizerException("special token " + special.get("id")
                                        + " of the template has an id that is not a token id");
                            }
                            (sequences == 0 ? before : after).add(l.intValue());
                        }
                    } else {
                        throw new UnsupportedTokenizerException("the single template has a piece that is not a"
                                + " sequence or a defined special token: " + describe(piece));
                    }
                }
                if (sequences != 1) {
                    throw new UnsupportedTokenizerException("the single template has " + sequences + " sequences");
                }
                prefix.addAll(0, before);
                suffix.addAll(after);
            } else {
                throw new UnsupportedTokenizerException("the post-processor " + describe(step) + " is not supported"
                        + " (only ByteLevel without trimming and TemplateProcessing)");
            }
        }
    }

    /** The steps of a Sequence (under {@code field}), or the one step. */
    private static List<?> sequence(Object json, String field) throws UnsupportedTokenizerException {
        if (isType(json, "Sequence")) {
            if (!(((Map<?, ?>) json).get(field) instanceof List<?> steps)) {
                throw new UnsupportedTokenizerException("a Sequence has no " + field + " list");
            }
            return steps;
        }
        return List.of(json);
    }

    private static boolean isType(Object json, String type) {
        return json instanceof Map<?, ?> m && type.equals(m.get("type"));
    }

    private static String describe(Object json) {
        return json instanceof Map<?, ?> m && m.get("type") != null ? String.valueOf(m.get("type"))
                : PythonJson.dumps(json);
    }

    /**
     * The ids of an encoded text and, per token, the {@code [start, end)} Java {@code String}
     * indexes of the characters it came from; {@code io.jtune.finetune.tokenize.Encoding} wraps it.
     */
    public record Tokens(int[] ids, int[] starts, int[] ends) {}

    /** What this encoder does, for a log line or a benchmark. */
    public String description() {
        return description;
    }

    /** The added tokens' contents, in {@code tokenizer.json} order. */
    public Set<String> addedTokens() {
        return addedTokens;
    }

    /**
     * The ids and offsets of {@code text}, with the post-processor's special tokens when
     * {@code addSpecialTokens}; {@code null} when this text must be encoded by the library (it has
     * an unpaired surrogate, or the normalizer is NFC and {@link NfcAlignment} cannot align it).
     */
    public Tokens encode(String text, boolean addSpecialTokens) {
        if (!wellFormed(text)) {
            return null;
        }
        Work w = work.get();
        w.count = 0;
        if (addSpecialTokens) {
            for (int id : prefixIds) {
                w.add(id, 0, 0);
            }
        }
        int pos = 0;
        if (!rawTokens.isEmpty()) {
            long match;
            while ((match = rawTokens.find(text, pos, text.length())) >= 0) {
                int start = AddedTokenMatcher.start(match);
                int token = AddedTokenMatcher.token(match);
                if (!encodeBetweenRawTokens(text, pos, start, w)) {
                    return null;
                }
                pos = start + rawTokens.length(token);
                w.add(rawTokens.id(token), start, pos);
            }
        }
        if (!encodeBetweenRawTokens(text, pos, text.length(), w)) {
            return null;
        }
        if (addSpecialTokens) {
            for (int id : suffixIds) {
                w.add(id, 0, 0);
            }
        }
        return new Tokens(Arrays.copyOf(w.ids, w.count), Arrays.copyOf(w.starts, w.count),
                Arrays.copyOf(w.ends, w.count));
    }

    /**
     * A piece between raw added tokens: normalized, then split at the normalized added tokens.
     * When NFC changes the piece, the NFC text is encoded and each token's offsets are mapped back
     * to the original characters ({@link NfcAlignment}); {@code false} when that cannot be done exactly.
     */
    private boolean encodeBetweenRawTokens(String text, int start, int end, Work w) {
        if (start == end) {
            return true;
        }
        if (nfc && !isNfc(text, start, end)) {
            NfcAlignment nfcText = NfcAlignment.of(text, start, end);
            if (nfcText == null) {
                return false;
            }
            int first = w.count;
            encodeNormalized(nfcText.text, 0, nfcText.text.length(), w);
            for (int i = first; i < w.count; i++) {
                int s = w.starts[i];
                int e = w.ends[i];
                w.starts[i] = nfcText.starts[s];
                w.ends[i] = e > s ? nfcText.ends[e - 1] : nfcText.starts[s];
            }
            return true;
        }
        encodeNormalized(text, start, end, w);
        return true;
    }

    /** A normalized piece: split at the normalized added tokens, the rest encoded as pieces. */
    private void encodeNormalized(String text, int start, int end, Work w) {
        int pos = start;
        if (!normalizedTokens.isEmpty()) {
            long match;
            while ((match = normalizedTokens.find(text, pos, end)) >= 0) {
                int matchStart = AddedTokenMatcher.start(match);
                int token = AddedTokenMatcher.token(match);
                encodePiece(text, pos, matchStart, w);
                pos = matchStart + normalizedTokens.length(token);
                w.add(normalizedTokens.id(token), matchStart, pos);
            }
        }
        encodePiece(text, pos, end, w);
    }

    /** A piece without added tokens: pre-tokenized into words, each word merged. */
    private void encodePiece(String text, int start, int end, Work w) {
        if (start == end) {
            return;
        }
        if (addPrefixSpace && text.charAt(start) != ' ') {
            // The library prepends a space that takes the offsets of the piece's first character.
            String prefixed = " " + text.substring(start, end);
            int firstEnd = start + Character.charCount(text.codePointAt(start));
            splitWords(prefixed, 0, prefixed.length(), start - 1, start, firstEnd, w);
        } else {
            splitWords(text, start, end, 0, -1, -1, w);
        }
    }

    private void splitWords(String src, int start, int end, int shift, int prefixStart, int prefixEnd, Work w) {
        if (regex == null) {
            encodeWord(src, start, end, shift, prefixStart, prefixEnd, w);
            return;
        }
        for (int pos = start; pos < end; ) {
            int wordEnd = regex.matchEnd(src, pos, end);
            encodeWord(src, pos, wordEnd, shift, prefixStart, prefixEnd, w);
            pos = wordEnd;
        }
    }

    /**
     * Merges the word {@code src[start, end)} and adds its tokens. Offsets are {@code src} indexes
     * plus {@code shift}, except that, when {@code prefixStart >= 0}, {@code src} starts with the
     * prepended space, whose character is the original {@code [prefixStart, prefixEnd)}.
     */
    private void encodeWord(String src, int start, int end, int shift, int prefixStart, int prefixEnd, Work w) {
        int hash = WordCache.hash(src, start, end);
        int[] tokens = w.cache.get(src, start, end, hash);
        if (tokens == null) {
            int length = w.utf8(src, start, end);
            tokens = model.tokenize(w.bytes, length, w.bpe);
            if (end - start <= WordCache.MAX_WORD_LENGTH) {
                w.cache.put(src, start, end, hash, tokens);
            }
        }
        // Walk the characters along the tokens' bytes: a token spans from the character holding
        // its first byte to the end of the one holding its last.
        int charPos = start;
        int cp = src.codePointAt(charPos);
        int charLength = Character.charCount(cp);
        int charBytes = utf8Length(cp);
        int used = 0;
        for (int k = 0; k < tokens.length; k += 2) {
            int remaining = tokens[k + 1];
            int tokenStart = charPos;
            int tokenEnd;
            while (true) {
                int take = Math.min(remaining, charBytes - used);
                used += take;
                remaining -= take;
                tokenEnd = charPos + charLength;
                if (used == charBytes) {
                    charPos += charLength;
                    used = 0;
                    if (charPos < end) {
                        cp = src.codePointAt(charPos);
                        charLength = Character.charCount(cp);
                        charBytes = utf8Length(cp);
                    }
                }
                if (remaining == 0) {
                    break;
                }
            }
            int s = prefixStart >= 0 && tokenStart == 0 ? prefixStart : tokenStart + shift;
            int e = prefixStart >= 0 && tokenEnd == 1 ? prefixEnd : tokenEnd + shift;
            w.add(tokens[k], s, e);
        }
    }

    private static int utf8Length(int cp) {
        return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }

    /** Whether {@code text[start, end)} is in NFC; characters below U+0300 never compose or decompose. */
    private static boolean isNfc(String text, int start, int end) {
        for (int i = start; i < end; i++) {
            if (text.charAt(i) >= 0x300) {
                return Normalizer.isNormalized(CharBuffer.wrap(text, start, end), Normalizer.Form.NFC);
            }
        }
        return true;
    }

    /** Whether every surrogate in {@code text} is half of a pair (DJL would pass others on mangled). */
    private static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == text.length()
                        || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** One thread's word cache, working arrays and output. */
    private static final class Work {
        final WordCache cache = new WordCache();
        final BpeModel.Workspace bpe = new BpeModel.Workspace();
        byte[] bytes = new byte[256];
        int[] ids = new int[1024];
        int[] starts = new int[1024];
        int[] ends = new int[1024];
        int count;

        void add(int id, int start, int end) {
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, count * 2);
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            ids[count] = id;
            starts[count] = start;
            ends[count] = end;
            count++;
        }

        /** Writes the UTF-8 bytes of {@code src[start, end)} (well-formed) into {@link #bytes}; returns their count. */
        int utf8(String src, int start, int end) {
            if (bytes.length < 4 * (end - start)) {
                bytes = new byte[Math.max(4 * (end - start), bytes.length * 2)];
            }
            int n = 0;
            for (int i = start; i < end; i++) {
                int c = src.charAt(i);
                if (c < 0x80) {
                    bytes[n++] = (byte) c;
                } else if (c < 0x800) {
                    bytes[n++] = (byte) (0xC0 | c >> 6);
                    bytes[n++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isHighSurrogate((char) c)) {
                    int cp = Character.toCodePoint((char) c, src.charAt(++i));
                    bytes[n++] = (byte) (0xF0 | cp >> 18);
                    bytes[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                    bytes[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                    bytes[n++] = (byte) (0x80 | cp & 0x3F);
                } else {
                    bytes[n++] = (byte) (0xE0 | c >> 12);
                    bytes[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                    bytes[n++] = (byte) (0x80 | c & 0x3F);
                }
            }
            return n;
        }
    }
}
