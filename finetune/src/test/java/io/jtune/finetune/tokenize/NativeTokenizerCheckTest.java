package io.jtune.finetune.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.jtune.finetune.json.PythonJson;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code tokenizer.json} that makes the native library panic aborts the JVM, so the abort is
 * shown in a child JVM ({@link Child}); in this one, {@link Tokenizer#load} refuses the file first.
 */
class NativeTokenizerCheckTest {
    @TempDir
    Path dir;

    /** The tiny tokenizer with a subword prefix that none of its merges' right-hand tokens has. */
    @SuppressWarnings("unchecked")
    private Path withPrefix(String prefix) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("prefix"));
        Map<String, Object> json = (Map<String, Object>) PythonJson.parse(
                Files.readString(TinyBpe.storedFolder().resolve("tokenizer.json")));
        ((Map<String, Object>) json.get("model")).put("continuing_subword_prefix", prefix);
        Files.writeString(folder.resolve("tokenizer.json"), PythonJson.dumps(json), StandardCharsets.UTF_8);
        return folder;
    }

    @Test
    void theLibraryAbortsTheJvmOnAPrefixTheMergesLack() throws Exception {
        Path folder = withPrefix("##");
        Child.Result raw = Child.run("library", folder);
        assertEquals(134, raw.exitCode(), raw.output());
        assertTrue(raw.output().contains("panicked") && raw.output().contains("out of bounds"), raw.output());
        assertTrue(!raw.output().contains("loaded"), raw.output());

        Child.Result checked = Child.run("tokenizer", folder);
        assertEquals(0, checked.exitCode(), checked.output());
        assertTrue(checked.output().contains("refused: " + folder.resolve("tokenizer.json") + ": model.merges[0]"),
                checked.output());
    }

    @Test
    void loadNamesTheFileTheMergeAndThePrefix() throws IOException {
        Path folder = withPrefix("##");
        IOException e = assertThrows(IOException.class, () -> Tokenizer.load(folder));
        String message = e.getMessage();
        assertTrue(message.startsWith(folder.resolve("tokenizer.json") + ": model.merges[0]"), message);
        assertTrue(message.contains("continuing_subword_prefix \"##\""), message);
        assertTrue(message.contains("abort the JVM"), message);
    }

    @Test
    void aPrefixCutInsideACharacterIsRefusedToo() {
        // "#" is one UTF-8 byte, "\u0120" (the byte-level space) two: the library would cut inside it.
        Map<String, Object> json = Map.of("model", Map.of("type", "BPE", "continuing_subword_prefix", "#",
                "merges", List.of("a #b", "a \u0120t")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NativeTokenizerCheck.check(json, Path.of("tokenizer.json")));
        assertTrue(e.getMessage().startsWith("tokenizer.json: model.merges[1] has the right-hand token \"\u0120t\""),
                e.getMessage());
    }

    @Test
    void aPrefixEveryRightHandTokenCanLoseIsLeftToTheLibrary() {
        Map<String, Object> json = Map.of("model", Map.of("type", "BPE", "continuing_subword_prefix", "#",
                "merges", List.of("a #b", List.of("c", "#d"))));
        NativeTokenizerCheck.check(json, Path.of("tokenizer.json"));
    }

    /** Loads a tokenizer folder in a JVM of its own, so that an abort only ends that one. */
    static final class Child {
        record Result(int exitCode, String output) {}

        static Result run(String how, Path folder) throws IOException, InterruptedException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process p = new ProcessBuilder(java.toString(), "-Dai.djl.offline=true", "-cp",
                    System.getProperty("java.class.path"), Child.class.getName(), how, folder.toString())
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("the child JVM did not finish");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        }

        /** {@code library FOLDER}: hands tokenizer.json straight to DJL; {@code tokenizer FOLDER}: {@link Tokenizer#load}. */
        public static void main(String[] args) throws IOException {
            Path folder = Path.of(args[1]);
            if (args[0].equals("library")) {
                byte[] bytes = Files.readAllBytes(folder.resolve("tokenizer.json"));
                try (HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), Map.of())) {
                    System.out.println("loaded");
                }
            } else {
                try (Tokenizer t = Tokenizer.load(folder)) {
                    System.out.println("loaded");
                } catch (IOException e) {
                    System.out.println("refused: " + e.getMessage());
                }
            }
        }
    }
}
