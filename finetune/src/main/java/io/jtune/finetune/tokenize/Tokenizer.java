package io.jtune.finetune.tokenize;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import io.jtune.finetune.io.FileKinds;
import io.jtune.finetune.json.PythonJson;
import io.jtune.finetune.tokenize.bpe.JavaBpeEncoder;
import io.jtune.finetune.tokenize.bpe.UnsupportedTokenizerException;
import io.jtune.finetune.tokenize.template.ChatTemplate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Hugging Face tokenizer read from a model folder: {@code tokenizer.json} (run by DJL's binding of
 * the Rust {@code tokenizers} library, without truncation or padding) plus, when present,
 * {@code tokenizer_config.json}, {@code special_tokens_map.json}, {@code chat_template.jinja},
 * {@code generation_config.json} and {@code config.json}.
 *
 * <p><b>Encoding engine.</b> When {@code tokenizer.json} is a byte-level BPE that jtune reproduces
 * exactly in Java (the GPT-2, Llama 3 and Qwen2 shapes; see {@code JavaBpeEncoder}), texts are
 * encoded in Java, with the same ids and offsets as the library gives and without a native call
 * per text; any other tokenizer, and the rare text the Java encoder cannot take, goes to the
 * library. Decoding always does. {@link #encodingEngine()} tells which is used; the system property
 * {@value #ENGINE_PROPERTY}{@code =djl} makes every tokenizer loaded afterwards use the library.
 *
 * <p>It encodes and decodes as {@code transformers} 5 does: special tokens are added by the
 * post-processor of {@code tokenizer.json} ({@code add_bos_token} and {@code add_eos_token} in
 * {@code tokenizer_config.json} are ignored, as {@code transformers} 5 ignores them when there is a
 * {@code tokenizer.json}); decoding cleans up spaces only when
 * {@code clean_up_tokenization_spaces} is set and the model is not BPE.
 *
 * <p>DJL is used offline: run with {@code -Dai.djl.offline=true} so that loading makes no network
 * call. Close the tokenizer to free its native memory.
 */
public final class Tokenizer implements AutoCloseable {
    /** The system property that picks the encoding engine: {@code auto} (the default) or {@code djl}. */
    public static final String ENGINE_PROPERTY = "jtune.tokenizer.engine";

    private final Path directory;
    private final HuggingFaceTokenizer rust;
    private final LibraryErrors libraryErrors;
    /** The Java encoder, or {@code null} when the library encodes. */
    private final JavaBpeEncoder javaEncoder;
    private final String engine;
    private final Vocabulary vocabulary;
    private final TokenizerSettings settings;
    private ChatTemplate chatTemplate;
    private final OptionalInt bosId;
    private final OptionalInt eosId;
    private final OptionalInt padId;
    private final OptionalInt unkId;
    private final int[] eosIds;

    private Tokenizer(Path directory, HuggingFaceTokenizer rust, LibraryErrors libraryErrors, JavaBpeEncoder javaEncoder,
            String engine, Vocabulary vocabulary, TokenizerSettings settings) {
        this.directory = directory;
        this.rust = rust;
        this.libraryErrors = libraryErrors;
        this.javaEncoder = javaEncoder;
        this.engine = engine;
        this.vocabulary = vocabulary;
        this.settings = settings;
        this.bosId = idOf("bos_token", settings.bosIdFromConfigs);
        this.eosId = idOf("eos_token", null);
        this.padId = idOf("pad_token", settings.padIdFromConfigs);
        this.unkId = idOf("unk_token", null);
        Set<Integer> eos = new LinkedHashSet<>(settings.generationEosIds);
        eosId.ifPresent(eos::add);
        eos.addAll(settings.configEosIds);
        this.eosIds = eos.stream().mapToInt(Integer::intValue).toArray();
    }

    private OptionalInt idOf(String name, Integer fromConfigs) {
        String token = settings.tokens.get(name);
        if (token != null) {
            return vocabulary.id(token);
        }
        return fromConfigs == null ? OptionalInt.empty() : OptionalInt.of(fromConfigs);
    }

    /**
     * Reads the tokenizer of a model folder.
     *
     * @throws IOException naming the file: when {@code tokenizer.json} is missing, is not JSON, or
     *     is not a tokenizer the {@code tokenizers} library accepts (or one it would abort the JVM
     *     on, see {@code NativeTokenizerCheck}); or when one of the other files
     *     is not JSON or has a field of the wrong kind
     * @throws IllegalArgumentException when {@value #ENGINE_PROPERTY} is set to neither {@code auto}
     *     nor {@code djl}
     */
    public static Tokenizer load(Path modelDir) throws IOException {
        Path file = modelDir.resolve("tokenizer.json");
        if (FileKinds.existsButNotRegular(file)) {
            throw new IOException(file + ": " + FileKinds.notRegular(file));
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no tokenizer.json in the model folder");
        }
        byte[] bytes = Files.readAllBytes(file);
        Object json;
        Vocabulary vocabulary;
        try {
            json = PythonJson.parse(new String(bytes, StandardCharsets.UTF_8));
            vocabulary = new Vocabulary(json, file);
            NativeTokenizerCheck.check(json, file);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage().startsWith(file.toString()) ? e.getMessage() : file + ": " + e.getMessage(), e);
        }
        TokenizerSettings settings = TokenizerSettings.read(modelDir);
        Map<String, String> options = Map.of("truncation", "false", "padding", "false", "addSpecialTokens", "false");
        HuggingFaceTokenizer rust;
        try {
            rust = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), options);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a tokenizer the Hugging Face tokenizers library accepts: "
                    + e.getMessage(), e);
        }
        String choice = System.getProperty(ENGINE_PROPERTY, "auto");
        if (!choice.equals("auto") && !choice.equals("djl")) {
            rust.close();
            throw new IllegalArgumentException("-D" + ENGINE_PROPERTY + " must be auto or djl, not " + choice);
        }
        JavaBpeEncoder javaEncoder = null;
        String engine;
        if (choice.equals("djl")) {
            engine = "djl (-D" + ENGINE_PROPERTY + "=djl)";
        } else {
            try {
                javaEncoder = JavaBpeEncoder.read(json);
                checkAddedTokenIds(javaEncoder, rust);
                engine = "java (" + javaEncoder.description() + ")";
            } catch (UnsupportedTokenizerException e) {
                javaEncoder = null;
                engine = "djl (" + e.getMessage() + ")";
            } catch (RuntimeException e) {
                // A tokenizer.json of a shape the reader did not foresee: the library still encodes it.
                javaEncoder = null;
                engine = "djl (the Java encoder could not read tokenizer.json: " + e + ")";
            }
        }
        return new Tokenizer(modelDir, rust, LibraryErrors.of(json, file), javaEncoder, engine, vocabulary, settings);
    }

    /**
     * Checks that each added token, encoded alone, gets the same ids from both engines. The library
     * numbers added tokens itself (a token the model's vocabulary holds takes that id; a file with
     * gaps or repeats is renumbered), while the Java encoder takes the ids {@code tokenizer.json}
     * lists; every added token that can appear in an encoding appears in its own, so this finds
     * any difference.
     */
    private static void checkAddedTokenIds(JavaBpeEncoder javaEncoder, HuggingFaceTokenizer rust)
            throws UnsupportedTokenizerException {
        for (String content : javaEncoder.addedTokens()) {
            long[] expected = rust.encode(content, false, false).getIds();
            JavaBpeEncoder.Tokens actual = javaEncoder.encode(content, false);
            int[] ids = actual == null ? null : actual.ids();
            if (ids == null || ids.length != expected.length
                    || !Arrays.equals(expected, Arrays.stream(ids).asLongStream().toArray())) {
                throw new UnsupportedTokenizerException("the library encodes added token " + content + " as "
                        + Arrays.toString(expected) + ", the Java encoder as " + Arrays.toString(ids));
            }
        }
    }

    /**
     * Which engine encodes texts: {@code "java (...)"} when the Java encoder does (with what it
     * handles), or {@code "djl (...)"} with the reason the library does.
     */
    public String encodingEngine() {
        return engine;
    }

    /** The model folder this tokenizer was read from. */
    public Path directory() {
        return directory;
    }

    /** The token ids of {@code text}; with {@code addSpecialTokens}, bos/eos as the tokenizer adds them. */
    public int[] encode(String text, boolean addSpecialTokens) {
        return encodeWithOffsets(text, addSpecialTokens).ids();
    }

    /**
     * The token ids of {@code text} with, for each token, the characters of {@code text} it covers
     * (Java {@code String} indexes; see {@link Encoding}).
     */
    public Encoding encodeWithOffsets(String text, boolean addSpecialTokens) {
        if (javaEncoder != null) {
            JavaBpeEncoder.Tokens t = javaEncoder.encode(text, addSpecialTokens);
            if (t != null) {
                return new Encoding(t.ids(), t.starts(), t.ends());
            }
        }
        return encodeWithLibrary(text, addSpecialTokens);
    }

    /**
     * {@link #encodeWithOffsets} by the Rust library, whichever engine is chosen.
     *
     * @throws IllegalArgumentException when the library cannot encode the text (a word the
     *     vocabulary lacks and no usable unknown token), naming {@code tokenizer.json} and the field
     */
    public Encoding encodeWithLibrary(String text, boolean addSpecialTokens) {
        ai.djl.huggingface.tokenizers.Encoding e;
        try {
            e = rust.encode(text, addSpecialTokens, false);
        } catch (RuntimeException failure) {
            throw libraryErrors.wrap(failure, "encode the text");
        }
        long[] rawIds = e.getIds();
        CharSpan[] spans = e.getCharTokenSpans();
        int[] codePointToChar = codePointToChar(text);
        int[] ids = new int[rawIds.length];
        int[] starts = new int[rawIds.length];
        int[] ends = new int[rawIds.length];
        for (int i = 0; i < rawIds.length; i++) {
            ids[i] = Math.toIntExact(rawIds[i]);
            if (spans[i] != null) {
                starts[i] = codePointToChar[Math.min(spans[i].getStart(), codePointToChar.length - 1)];
                ends[i] = codePointToChar[Math.min(spans[i].getEnd(), codePointToChar.length - 1)];
            }
        }
        return new Encoding(ids, starts, ends);
    }

    /** For each code point index of {@code text} (and the end), the Java char index. */
    private static int[] codePointToChar(String text) {
        int[] map = new int[text.codePointCount(0, text.length()) + 1];
        int cp = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            map[cp++] = i;
        }
        map[cp] = text.length();
        return map;
    }

    /** The text of {@code ids}; {@code skipSpecialTokens} leaves out special tokens. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] raw = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize()) {
                throw new IllegalArgumentException("token id " + ids[i] + " is outside the vocabulary (size "
                        + vocabSize() + ")");
            }
            raw[i] = ids[i];
        }
        String text;
        try {
            text = rust.decode(raw, skipSpecialTokens);
        } catch (RuntimeException failure) {
            throw libraryErrors.wrap(failure, "decode the ids");
        }
        boolean cleanUp = settings.cleanUpSpaces
                && (!vocabulary.modelType().equals("BPE") || settings.cleanUpSpacesEvenForBpe);
        return cleanUp ? cleanUpSpaces(text) : text;
    }

    /** Hugging Face's {@code clean_up_tokenization}: no space before punctuation and contractions. */
    private static String cleanUpSpaces(String text) {
        return text.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
                .replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s").replace(" 've", "'ve")
                .replace(" 're", "'re");
    }

    /**
     * The vocabulary string of a token, as Hugging Face's {@code convert_ids_to_tokens} gives it
     * (byte-level tokens in their GPT-2 spelling, such as {@code "Ġworld"}).
     *
     * @throws IllegalArgumentException when no token has this id
     */
    public String tokenText(int id) {
        String token = vocabulary.token(id);
        if (token == null) {
            throw new IllegalArgumentException("no token has id " + id + " (vocabulary size " + vocabSize() + ")");
        }
        return token;
    }

    /** The id of a vocabulary string or added token, if there is one. */
    public OptionalInt tokenId(String token) {
        return vocabulary.id(token);
    }

    /** Whether {@code id} is a special added token (one that decoding can skip). */
    public boolean isSpecialToken(int id) {
        return vocabulary.isSpecial(id);
    }

    /** The number of ids, added tokens included: one more than the largest id. */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** The beginning-of-sequence token. */
    public Optional<String> bosToken() {
        return token("bos_token", bosId);
    }

    /** The end-of-sequence token of the tokenizer (for a chat model, the end of a turn). */
    public Optional<String> eosToken() {
        return token("eos_token", eosId);
    }

    /** The padding token. */
    public Optional<String> padToken() {
        return token("pad_token", padId);
    }

    /** The unknown-word token. */
    public Optional<String> unkToken() {
        return token("unk_token", unkId);
    }

    private Optional<String> token(String name, OptionalInt id) {
        String token = settings.tokens.get(name);
        if (token == null && id.isPresent()) {
            token = vocabulary.token(id.getAsInt());
        }
        return Optional.ofNullable(token);
    }

    /** The id of the beginning-of-sequence token (from the token, else generation or model config). */
    public OptionalInt bosId() {
        return bosId;
    }

    /** The id of {@link #eosToken()}. */
    public OptionalInt eosId() {
        return eosId;
    }

    /** The id of the padding token (from the token, else generation or model config). */
    public OptionalInt padId() {
        return padId;
    }

    /** The id of the unknown-word token. */
    public OptionalInt unkId() {
        return unkId;
    }

    /**
     * Every id that ends generation: {@code generation_config.json}'s {@code eos_token_id} (one
     * id or a list), then {@link #eosId()}, then {@code config.json}'s, without repeats.
     */
    public int[] eosIds() {
        return eosIds.clone();
    }

    /**
     * Whether {@code encode(text, true)} starts with the bos token, as the post-processor of
     * {@code tokenizer.json} decides. ({@code add_bos_token} in {@code tokenizer_config.json} does
     * not change it: {@code transformers} 5 ignores it when there is a {@code tokenizer.json}.)
     */
    public boolean addsBosToken() {
        int[] ids = encode("", true);
        return bosId.isPresent() && ids.length > 0 && ids[0] == bosId.getAsInt();
    }

    /** Whether {@code encode(text, true)} ends with the eos token; see {@link #addsBosToken()}. */
    public boolean addsEosToken() {
        int[] ids = encode("", true);
        return eosId.isPresent() && ids.length > 0 && ids[ids.length - 1] == eosId.getAsInt();
    }

    /** The chat template's text. */
    public Optional<String> chatTemplate() {
        return Optional.ofNullable(settings.chatTemplate);
    }

    /**
     * Renders a conversation with the chat template, as {@code apply_chat_template(messages,
     * add_generation_prompt=..., tokenize=False)} does.
     *
     * @throws IllegalStateException when the model has no chat template
     * @throws io.jtune.finetune.tokenize.template.ChatTemplateException when the template refuses the conversation or fails
     */
    public String applyChatTemplate(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt) {
        return applyChatTemplate(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders a conversation with the chat template and more variables ({@code tools},
     * {@code documents}, or a template's own such as {@code date_string}); they win over the
     * special tokens of the same name.
     *
     * @throws IllegalStateException when the model has no chat template
     * @throws io.jtune.finetune.tokenize.template.ChatTemplateException when the template has a syntax error, refuses the conversation
     *     or fails
     */
    public String applyChatTemplate(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt,
            Map<String, ?> variables) {
        Map<String, Object> all = new LinkedHashMap<>(specialTokenVariables());
        all.putAll(variables);
        return compiledChatTemplate().render(messages, addGenerationPrompt, all);
    }

    /**
     * The ids a model is prompted with for {@code messages}: rendered through the chat template with
     * the assistant's turn opened (the template holds the special tokens), or, for a model without
     * a template, the last message's text with the special tokens the tokenizer adds.
     */
    public int[] encodePrompt(List<? extends Map<String, ?>> messages) {
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a prompt needs at least one message");
        }
        if (chatTemplate().isPresent()) {
            return encode(applyChatTemplate(messages, true), false);
        }
        return encode(String.valueOf(messages.get(messages.size() - 1).get("content")), true);
    }

    /** The chat template, parsed on first use so that a broken one does not stop plain encoding. */
    private synchronized ChatTemplate compiledChatTemplate() {
        if (settings.chatTemplate == null) {
            throw new IllegalStateException(directory.resolve("tokenizer_config.json")
                    + " has no chat_template (and there is no chat_template.jinja)");
        }
        if (chatTemplate == null) {
            chatTemplate = new ChatTemplate(settings.chatTemplate, Clock.systemDefaultZone(), settings.chatTemplateOrigin);
        }
        return chatTemplate;
    }

    /** The special tokens a chat template sees: {@code bos_token}, {@code eos_token}, ... */
    public Map<String, String> specialTokenVariables() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : TokenizerSettings.TOKEN_NAMES) {
            String token = settings.tokens.get(name);
            if (token != null) {
                out.put(name, token);
            }
        }
        return out;
    }

    /** The ids of all special added tokens, in id order. */
    public List<Integer> specialIds() {
        return vocabulary.specialIds();
    }

    /** Frees the native tokenizer. */
    @Override
    public void close() {
        rust.close();
    }
}
