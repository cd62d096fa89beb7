package io.jtune.finetune.cli;

import ai.djl.ndarray.NDManager;
import io.jtune.finetune.io.hub.DownloadListener;
import io.jtune.finetune.io.hub.ModelLocator;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ForwardInput;
import io.jtune.finetune.model.GenerationConfig;
import io.jtune.finetune.model.GenerationResult;
import io.jtune.finetune.model.Generator;
import io.jtune.finetune.model.ModelConfig;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.model.TinyModels;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code jtune generate} and {@code jtune next-token}: a model from a folder, the Hugging Face cache
 * or the Hub, run from the command line.
 */
public final class ModelCommands {
    static final String USAGE = """
            usage: jtune generate MODEL [--prompt TEXT | --ids 1,2,3] [--chat] [--max-new-tokens N]
                                  [--greedy | --temperature T --top-p P --top-k K --seed S]
                                  [--repetition-penalty R] [--stop TEXT]... [--no-cache] [--print-ids]
                   jtune next-token MODEL [--prompt TEXT | --ids 1,2,3] [--chat] [--top K] [--json]
                   jtune tiny-model DIR [--arch llama|qwen2] [--size test|demo] [--seed N]
            MODEL is a model folder, a Hugging Face cache entry or a Hub id (org/name).
            tiny-model writes a small Hugging Face model folder with random weights (offline, for trying things).""";

    private ModelCommands() {}

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        int code;
        try {
            code = run(Arrays.asList(args), out);
        } catch (IllegalArgumentException e) {
            System.err.println("jtune " + (args.length > 0 ? args[0] : "") + ": " + e.getMessage() + "\n" + USAGE);
            code = 2;
        } catch (Exception e) {
            System.err.println("jtune " + (args.length > 0 ? args[0] : "") + ": " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    static int run(List<String> args, PrintStream out) throws Exception {
        String command = args.isEmpty() ? "" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        return switch (command) {
            case "generate" -> generate(CliArgs.parse(rest,
                    Set.of("prompt", "ids", "max-new-tokens", "temperature", "top-p", "top-k", "seed",
                            "repetition-penalty", "stop"),
                    Set.of("chat", "greedy", "no-cache", "print-ids")), out);
            case "next-token" -> nextToken(CliArgs.parse(rest, Set.of("prompt", "ids", "top"), Set.of("chat", "json")), out);
            case "tiny-model" -> tinyModel(CliArgs.parse(rest, Set.of("arch", "size", "seed"), Set.of()), out);
            default -> throw new IllegalArgumentException("unknown command '" + command + "'");
        };
    }

    private static Path resolve(CliArgs a) throws Exception {
        if (a.positional.size() != 1) {
            throw new IllegalArgumentException("give exactly one MODEL");
        }
        DownloadListener progress = (file, done, total) -> System.err.printf("\rdownloading %s: %,d of %s bytes",
                file, done, total < 0 ? "?" : String.format("%,d", total));
        return ModelLocator.fromEnvironment(progress).locate(a.positional.get(0));
    }

    private static int[] prompt(CliArgs a, Tokenizer tokenizer) {
        if (a.has("ids") == a.has("prompt")) {
            throw new IllegalArgumentException("give either --prompt TEXT or --ids 1,2,3");
        }
        if (a.has("ids")) {
            return CliArgs.ids(a.get("ids", ""));
        }
        String text = a.get("prompt", "");
        if (a.has("chat")) {
            String rendered = tokenizer.applyChatTemplate(List.of(Map.of("role", "user", "content", text)), true);
            return tokenizer.encode(rendered, false); // the template already holds the special tokens
        }
        return tokenizer.encode(text, true);
    }

    private static int generate(CliArgs a, PrintStream out) throws Exception {
        Path dir = resolve(a);
        try (Tokenizer tokenizer = Tokenizer.load(dir); CausalLm model = ModelLoader.load(dir)) {
            int[] ids = prompt(a, tokenizer);
            int[] eos = tokenizer.eosIds().length > 0 ? tokenizer.eosIds() : model.config().eosTokenIds();
            boolean greedy = a.has("greedy") || !a.has("temperature");
            GenerationConfig g = new GenerationConfig(a.integer("max-new-tokens", 64), greedy,
                    a.number("temperature", 1.0), a.integer("top-k", 0), a.number("top-p", 1.0),
                    a.number("repetition-penalty", 1.0), a.integer("seed", 0), eos, a.all("stop"), !a.has("no-cache"));
            int[] printed = {0};
            Generator gen = new Generator(model, t -> tokenizer.decode(t, true));
            GenerationResult r = gen.generate(ids, g, (row, token, text) -> {
                // stream the text as it grows (a token may complete a multi-byte character later)
                if (text.length() > printed[0] && !text.endsWith("\uFFFD")) {
                    out.print(text.substring(printed[0]));
                    out.flush();
                    printed[0] = text.length();
                }
            });
            if (r.text().length() > printed[0]) {
                out.print(r.text().substring(printed[0]));
            }
            out.println();
            if (a.has("print-ids")) {
                out.println("prompt ids: " + Arrays.toString(ids));
                out.println("new ids:    " + Arrays.toString(r.tokens()));
            }
            System.err.println("[" + r.tokens().length + " tokens, stopped: " + r.stopReason() + "]");
            return 0;
        }
    }

    private static int tinyModel(CliArgs a, PrintStream out) throws Exception {
        if (a.positional.size() != 1) {
            throw new IllegalArgumentException("give the folder to write");
        }
        String arch = a.get("arch", "llama");
        String size = a.get("size", "demo");
        TinyModels.Spec spec = switch (arch + "/" + size) {
            case "llama/test" -> TinyModels.TEST_LLAMA;
            case "qwen2/test" -> TinyModels.TEST_QWEN2;
            case "llama/demo" -> TinyModels.DEMO_LLAMA;
            default -> throw new IllegalArgumentException("--arch " + arch + " --size " + size
                    + " is not a tiny model; choose llama/test, qwen2/test or llama/demo");
        };
        Path dir = Path.of(a.positional.get(0));
        ModelConfig config = TinyModels.write(dir, spec, a.integer("seed", 42));
        out.printf("wrote %s: %s, %,d parameters (random weights)%n", dir, config, config.parameterCount());
        return 0;
    }

    private static int nextToken(CliArgs a, PrintStream out) throws Exception {
        Path dir = resolve(a);
        try (Tokenizer tokenizer = Tokenizer.load(dir); CausalLm model = ModelLoader.load(dir);
                NDManager scope = model.manager().newSubManager()) {
            int[] ids = prompt(a, tokenizer);
            float[] logits = model.lastLogits(scope, ForwardInput.of(new int[][] {ids}), null).toFloatArray();
            NextTokenTable table = NextTokenTable.of(logits, id -> {
                String text = tokenizer.decode(new int[] {id}, false);
                // a byte-level token that is part of a character decodes to U+FFFD: show its vocabulary entry
                return text.contains("\uFFFD") ? "<" + tokenizer.tokenText(id) + ">" : text;
            });
            out.print(a.has("json") ? table.json(ids) : table.text(a.integer("top", 10)));
            return 0;
        }
    }
}
