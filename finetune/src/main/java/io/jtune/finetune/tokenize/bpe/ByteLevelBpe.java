package io.jtune.finetune.tokenize.bpe;

import io.jtune.finetune.json.PythonJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A tiny byte-level BPE tokenizer learned from a text, written as a complete Hugging Face tokenizer
 * folder: {@code tokenizer.json} and {@code tokenizer_config.json}. For test models and offline
 * demos.
 *
 * <p>The vocabulary is GPT-2's layout: ids 0-255 are the 256 bytes (in GPT-2's byte-to-unicode
 * order), then one token per learned merge, then the special tokens as added tokens. The tokenizer
 * uses the ByteLevel pre-tokenizer (GPT-2 regex, no prefix space), decoder and post-processor, so
 * any UTF-8 text round-trips and encoding adds no special tokens by itself. Both Hugging Face
 * ({@code AutoTokenizer.from_pretrained}) and {@link io.jtune.finetune.tokenize.Tokenizer#load} read the folder.
 *
 * <pre>{@code
 * ByteLevelBpe bpe = ByteLevelBpe.builder().trainingText(text).vocabSize(300).build();
 * bpe.write(dir);
 * }</pre>
 */
public final class ByteLevelBpe {
    /** Llama 3's names, the default special tokens. */
    public static final String DEFAULT_BOS = "<|begin_of_text|>";
    /** The default end-of-sequence token. */
    public static final String DEFAULT_EOS = "<|end_of_text|>";
    /** The default padding token. */
    public static final String DEFAULT_PAD = "<|pad|>";

    private final List<String> tokens;
    private final List<BpeTrainer.Merge> merges;
    private final List<String> specialTokens;
    private final String bosToken;
    private final String eosToken;
    private final String padToken;
    private final String chatTemplate;
    private final int modelMaxLength;

    private ByteLevelBpe(Builder b, BpeTrainer trainer) {
        this.tokens = trainer.tokens();
        this.merges = trainer.merges();
        this.specialTokens = List.copyOf(b.specialTokens());
        this.bosToken = b.bosToken;
        this.eosToken = b.eosToken;
        this.padToken = b.padToken;
        this.chatTemplate = b.chatTemplate;
        this.modelMaxLength = b.modelMaxLength;
    }

    /** A builder with Llama 3's special token names, no chat template and 2048 as model length. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of ids: 256 bytes, the merged tokens and the special tokens. */
    public int vocabSize() {
        return tokens.size() + specialTokens.size();
    }

    /** The learned merges in rank order, each as Hugging Face writes it: {@code "left right"}. */
    public List<String> merges() {
        List<String> out = new ArrayList<>();
        for (BpeTrainer.Merge m : merges) {
            out.add(tokens.get(m.left()) + " " + tokens.get(m.right()));
        }
        return out;
    }

    /** The special tokens in id order; the first has id {@code vocabSize() - specialTokens().size()}. */
    public List<String> specialTokens() {
        return specialTokens;
    }

    /** The id of a special token. */
    public int specialTokenId(String token) {
        int i = specialTokens.indexOf(token);
        if (i < 0) {
            throw new IllegalArgumentException("not a special token of this tokenizer: " + token);
        }
        return tokens.size() + i;
    }

    /** The text of {@code tokenizer.json}. */
    public String tokenizerJson() {
        Map<String, Object> vocab = new LinkedHashMap<>();
        for (int id = 0; id < tokens.size(); id++) {
            vocab.putIfAbsent(tokens.get(id), id);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", null);
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("vocab", vocab);
        model.put("merges", merges());

        List<Object> added = new ArrayList<>();
        for (String token : specialTokens) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", specialTokenId(token));
            t.put("content", token);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", "1.0");
        json.put("truncation", null);
        json.put("padding", null);
        json.put("added_tokens", added);
        json.put("normalizer", null);
        json.put("pre_tokenizer", byteLevel(false, true));
        json.put("post_processor", byteLevel(true, false));
        json.put("decoder", byteLevel(true, true));
        json.put("model", model);
        return PythonJson.dumps(json, 2) + "\n";
    }

    private static Map<String, Object> byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "ByteLevel");
        m.put("add_prefix_space", addPrefixSpace);
        m.put("trim_offsets", trimOffsets);
        m.put("use_regex", true);
        return m;
    }

    /** The text of {@code tokenizer_config.json}. */
    public String tokenizerConfigJson() {
        Map<String, Object> decoder = new LinkedHashMap<>();
        for (String token : specialTokens) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("content", token);
            t.put("lstrip", false);
            t.put("normalized", false);
            t.put("rstrip", false);
            t.put("single_word", false);
            t.put("special", true);
            decoder.put(Integer.toString(specialTokenId(token)), t);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("added_tokens_decoder", decoder);
        if (bosToken != null) {
            json.put("bos_token", bosToken);
        }
        if (eosToken != null) {
            json.put("eos_token", eosToken);
        }
        if (padToken != null) {
            json.put("pad_token", padToken);
        }
        if (chatTemplate != null) {
            json.put("chat_template", chatTemplate);
        }
        json.put("clean_up_tokenization_spaces", false);
        json.put("model_max_length", modelMaxLength);
        json.put("tokenizer_class", "PreTrainedTokenizerFast");
        return PythonJson.dumps(json, 2) + "\n";
    }

    /**
     * Writes {@code tokenizer.json} and {@code tokenizer_config.json} into {@code dir}, creating it
     * if needed.
     */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("tokenizer.json"), tokenizerJson(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("tokenizer_config.json"), tokenizerConfigJson(), StandardCharsets.UTF_8);
    }

    /** Settings for {@link ByteLevelBpe}; {@link #build()} learns the merges. */
    public static final class Builder {
        private String trainingText;
        private int vocabSize = -1;
        private String bosToken = DEFAULT_BOS;
        private String eosToken = DEFAULT_EOS;
        private String padToken = DEFAULT_PAD;
        private final List<String> extraSpecialTokens = new ArrayList<>();
        private String chatTemplate;
        private int modelMaxLength = 2048;

        private Builder() {}

        /** The text to learn merges from (required). */
        public Builder trainingText(String text) {
            this.trainingText = Objects.requireNonNull(text, "text");
            return this;
        }

        /**
         * The total number of ids (required): 256 bytes, {@code size - 256 - specials} merged
         * tokens, and the special tokens. Must leave room for at least one merge.
         */
        public Builder vocabSize(int size) {
            this.vocabSize = size;
            return this;
        }

        /** The beginning-of-sequence token, or {@code null} for none. */
        public Builder bosToken(String token) {
            this.bosToken = token;
            return this;
        }

        /** The end-of-sequence token, or {@code null} for none. */
        public Builder eosToken(String token) {
            this.eosToken = token;
            return this;
        }

        /** The padding token, or {@code null} for none. */
        public Builder padToken(String token) {
            this.padToken = token;
            return this;
        }

        /** More special tokens (after bos, eos and pad), such as a chat format's markers. */
        public Builder extraSpecialTokens(String... tokens) {
            for (String t : tokens) {
                extraSpecialTokens.add(Objects.requireNonNull(t, "token"));
            }
            return this;
        }

        /** The chat template to store in {@code tokenizer_config.json}, or {@code null} for none. */
        public Builder chatTemplate(String template) {
            this.chatTemplate = template;
            return this;
        }

        /** {@code model_max_length} in {@code tokenizer_config.json}. */
        public Builder modelMaxLength(int length) {
            if (length < 1) {
                throw new IllegalArgumentException("model max length must be positive: " + length);
            }
            this.modelMaxLength = length;
            return this;
        }

        private Set<String> specialTokens() {
            Set<String> all = new LinkedHashSet<>();
            for (String t : new String[] {bosToken, eosToken, padToken}) {
                if (t != null) {
                    all.add(t);
                }
            }
            all.addAll(extraSpecialTokens);
            for (String t : all) {
                if (t.isEmpty()) {
                    throw new IllegalArgumentException("a special token is empty");
                }
            }
            return all;
        }

        /**
         * Learns the merges and returns the tokenizer.
         *
         * @throws IllegalArgumentException when the text or vocabulary size is missing, the size
         *     leaves no room for a merge, or the text has too few distinct pairs for that many merges
         */
        public ByteLevelBpe build() {
            if (trainingText == null) {
                throw new IllegalArgumentException("no training text");
            }
            int specials = specialTokens().size();
            if (vocabSize < 256 + 1 + specials) {
                throw new IllegalArgumentException("vocab size " + vocabSize + " leaves no room for a merge: it must be"
                        + " at least 256 bytes + 1 merge + " + specials + " special tokens = " + (257 + specials));
            }
            return new ByteLevelBpe(this, BpeTrainer.train(trainingText, vocabSize - specials));
        }
    }
}
