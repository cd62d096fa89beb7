package io.jtune.finetune.data.format;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The tiny test model's tokenizer (byte-level BPE, ChatML template), written once per test JVM. */
public final class FormatTestTokenizer {
    private static Tokenizer tokenizer;

    private FormatTestTokenizer() {}

    public static synchronized Tokenizer get() {
        if (tokenizer == null) {
            try {
                Path dir = Files.createTempDirectory("jtune-dfmt-tok");
                TinyModels.write(dir, TinyModels.TEST_LLAMA, 1);
                tokenizer = Tokenizer.load(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tokenizer;
    }

    public static Example alpaca(String instruction, String input, String output, int line) {
        return new Example(List.of(Message.user(instruction), Message.assistant(output)),
                Map.of("instruction", instruction, "input", input, "output", output), new SourceRef("test.jsonl", line));
    }

    public static Example chat(int line, Message... messages) {
        return new Example(List.of(messages), Map.of(), new SourceRef("chat.jsonl", line));
    }
}
