package io.jtune.finetune.tokenize.bpe;

import io.jtune.finetune.json.PythonJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tokenizer.json} files in the shapes of published byte-level BPE tokenizers (GPT-2,
 * Llama 3, Qwen2), written around a tiny vocabulary: the normalizer, pre-tokenizer,
 * post-processor and added-token sections follow the published files; only the vocabulary and
 * merges are small.
 */
final class TokenizerShapes {
    private TokenizerShapes() {}

    /** A mutable copy of a parsed {@code tokenizer.json}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) throws IOException {
        return (Map<String, Object>) PythonJson.parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Writes {@code json} as {@code dir/tokenizer.json} (creating {@code dir}) and returns {@code dir}. */
    static Path write(Map<String, Object> json, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tokenizer.json"), PythonJson.dumps(json, 2), StandardCharsets.UTF_8);
        return dir;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> model(Map<String, Object> json) {
        return (Map<String, Object>) json.get("model");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> addedTokens(Map<String, Object> json) {
        return (List<Map<String, Object>>) json.get("added_tokens");
    }

    /** The contents of the added tokens. */
    static List<String> addedContents(Map<String, Object> json) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> t : addedTokens(json)) {
            out.add((String) t.get("content"));
        }
        return out;
    }

    /** The id of an added token. */
    static long addedId(Map<String, Object> json, String content) {
        for (Map<String, Object> t : addedTokens(json)) {
            if (t.get("content").equals(content)) {
                return (Long) t.get("id");
            }
        }
        throw new IllegalArgumentException("no added token " + content);
    }

    static Map<String, Object> byteLevel(boolean addPrefixSpace, boolean trimOffsets, boolean useRegex) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "ByteLevel");
        m.put("add_prefix_space", addPrefixSpace);
        m.put("trim_offsets", trimOffsets);
        m.put("use_regex", useRegex);
        return m;
    }

    static Map<String, Object> split(String regex) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "Split");
        m.put("pattern", Map.of("Regex", regex));
        m.put("behavior", "Isolated");
        m.put("invert", false);
        return m;
    }

    static Map<String, Object> sequence(String field, Object... steps) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "Sequence");
        m.put(field, List.of(steps));
        return m;
    }

    /** TemplateProcessing with these special tokens before and after the sequence. */
    static Map<String, Object> template(Map<String, Object> json, List<String> before, List<String> after) {
        List<Object> single = new ArrayList<>();
        Map<String, Object> specials = new LinkedHashMap<>();
        for (String t : before) {
            single.add(Map.of("SpecialToken", Map.of("id", t, "type_id", 0L)));
        }
        single.add(Map.of("Sequence", Map.of("id", "A", "type_id", 0L)));
        for (String t : after) {
            single.add(Map.of("SpecialToken", Map.of("id", t, "type_id", 0L)));
        }
        for (String t : before) {
            specials.put(t, special(t, List.of(addedId(json, t)), List.of(t)));
        }
        for (String t : after) {
            specials.put(t, special(t, List.of(addedId(json, t)), List.of(t)));
        }
        List<Object> pair = new ArrayList<>(single);
        pair.add(Map.of("Sequence", Map.of("id", "B", "type_id", 1L)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "TemplateProcessing");
        m.put("single", single);
        m.put("pair", pair);
        m.put("special_tokens", specials);
        return m;
    }

    static Map<String, Object> special(String name, List<Long> ids, List<String> tokens) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", name);
        m.put("ids", ids);
        m.put("tokens", tokens);
        return m;
    }

    /**
     * Appends an added token with the next free id. (Not one the model's vocabulary holds: the
     * library would give it the vocabulary's id.)
     */
    static void addToken(Map<String, Object> json, String content, boolean special, boolean normalized) {
        addToken(json, content, special, normalized, false);
    }

    /** {@link #addToken}, also for a token the vocabulary has when {@code inVocabulary}. */
    static void addToken(Map<String, Object> json, String content, boolean special, boolean normalized,
            boolean inVocabulary) {
        if (((Map<?, ?>) model(json).get("vocab")).containsKey(content) != inVocabulary) {
            throw new IllegalArgumentException(content + (inVocabulary ? " is not" : " is") + " in the vocabulary");
        }
        long next = 0;
        for (Map<String, Object> t : addedTokens(json)) {
            next = Math.max(next, (Long) t.get("id") + 1);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", next);
        t.put("content", content);
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", false);
        t.put("normalized", normalized);
        t.put("special", special);
        addedTokens(json).add(t);
    }

    /** Llama 3's sections: the cl100k regex, a bos-adding template, {@code ignore_merges}. */
    static Map<String, Object> llama3(Map<String, Object> json) {
        json.put("normalizer", null);
        json.put("pre_tokenizer", sequence("pretokenizers", split(PreTokenizerRegex.LLAMA3.pattern()),
                byteLevel(false, true, false)));
        json.put("post_processor", sequence("processors", byteLevel(true, false, true),
                template(json, List.of(ByteLevelBpe.DEFAULT_BOS), List.of())));
        model(json).put("ignore_merges", true);
        return json;
    }

    /** Qwen2's sections: NFC, the Qwen2 regex, a ByteLevel post-processor, empty affixes, a non-special added token. */
    static Map<String, Object> qwen2(Map<String, Object> json) {
        json.put("normalizer", Map.of("type", "NFC"));
        json.put("pre_tokenizer", sequence("pretokenizers", split(PreTokenizerRegex.QWEN2.pattern()),
                byteLevel(false, false, false)));
        json.put("post_processor", byteLevel(false, false, false));
        model(json).put("continuing_subword_prefix", "");
        model(json).put("end_of_word_suffix", "");
        model(json).put("ignore_merges", false);
        addToken(json, "<tool_call>", false, false);
        addToken(json, "</tool_call>", false, false);
        return json;
    }

    /** GPT-2's sections: the ByteLevel regex, and added tokens matched in the normalized text. */
    static Map<String, Object> gpt2(Map<String, Object> json, boolean addPrefixSpace) {
        json.put("normalizer", null);
        json.put("pre_tokenizer", byteLevel(addPrefixSpace, true, true));
        json.put("post_processor", byteLevel(true, false, true));
        for (Map<String, Object> t : addedTokens(json)) {
            t.put("normalized", true);
        }
        return json;
    }
}
