package io.jtune.finetune.tokenize;

import io.jtune.finetune.tokenize.bpe.ByteLevelBpe;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The tiny byte-level BPE tokenizer of the tests: learned from {@code tokenize/tiny-bpe-training.txt}
 * with Llama 3's special tokens and chat template. {@code tokenize/tiny-bpe/} holds its files as
 * {@link #main} wrote them; {@code finetune/src/test/python/tokenize/check_byte_level_bpe.py} reads
 * that folder with Hugging Face and stores what it computes in {@code tokenize/tiny-bpe-expected.json}.
 */
public final class TinyBpe {
    public static final int VOCAB_SIZE = 384;
    public static final String BOS = "<|begin_of_text|>";
    public static final String EOT = "<|eot_id|>";
    public static final String PAD = "<|pad|>";

    private TinyBpe() {}

    public static ByteLevelBpe build() {
        return ByteLevelBpe.builder()
                .trainingText(resource("tokenize/tiny-bpe-training.txt"))
                .vocabSize(VOCAB_SIZE)
                .bosToken(BOS)
                .eosToken(EOT)
                .padToken(PAD)
                .extraSpecialTokens("<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>")
                .chatTemplate(resource("tokenize/chat-templates/llama-3-8b-instruct.jinja"))
                .modelMaxLength(4096)
                .build();
    }

    /** The stored folder, as a path (test resources are plain files under Maven). */
    public static Path storedFolder() {
        try {
            return Path.of(TinyBpe.class.getClassLoader().getResource("tokenize/tiny-bpe/tokenizer.json").toURI())
                    .getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String resource(String name) {
        try (InputStream in = TinyBpe.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the tokenizer folder to {@code args[0]} (to refresh {@code tokenize/tiny-bpe/}). */
    public static void main(String[] args) throws IOException {
        build().write(Path.of(args[0]));
    }
}
