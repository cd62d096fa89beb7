package io.jtune.finetune.cli;

import io.jtune.finetune.export.ExportCheck;
import io.jtune.finetune.export.Export;
import io.jtune.finetune.export.ExportDtype;
import io.jtune.finetune.export.ExportReport;
import io.jtune.finetune.export.LlamaCppLogits;
import io.jtune.finetune.export.Merger;
import io.jtune.finetune.io.gguf.GgmlType;
import io.jtune.finetune.io.hub.ModelLocator;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.quant.Quantization;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jtune merge MODEL ADAPTER OUT}: merges a LoRA adapter into its base and writes the model
 * as a Hugging Face folder and/or GGUF with an Ollama Modelfile, checks the export against the
 * merged model, and prints the files and the commands that serve it.
 */
@Command(name = "merge", description = "Merge a LoRA adapter into its base and export it (Hugging Face folder, GGUF)")
final class MergeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "The base model: a folder, a cache entry, a Hub id, or base")
    String model;

    @Parameters(index = "1", paramLabel = "ADAPTER", description = "The PEFT LoRA adapter folder")
    Path adapter;

    @Parameters(index = "2", paramLabel = "OUT", description = "The folder to write (replaced as a whole)")
    Path out;

    @Option(names = "--dtype", defaultValue = "f32", description = "Hugging Face weights: f32, f16 or bf16 (default: ${DEFAULT-VALUE})")
    String dtype;

    @Option(names = "--format", defaultValue = "hf", description = "hf, gguf or hf,gguf (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--gguf-type", defaultValue = "f32", description = "GGUF matrices: f32, f16, q8_0 or q4_0 (default: ${DEFAULT-VALUE})")
    String ggufType;

    @Option(names = "--quant", defaultValue = "none", description = "How the adapter's base was held in training: none or nf4"
            + " (an NF4 base is dequantized before merging)")
    String quant;

    @Option(names = "--llama-cpp", paramLabel = "DIR", description = "A folder whose node_modules holds node-llama-cpp,"
            + " to check the GGUF's logits in llama.cpp (default: $JTUNE_LLAMA_CPP_DIR; skipped when neither is set)")
    Path llamaCpp;

    @Option(names = "--name", description = "The model's name in the GGUF and the Ollama commands (default: OUT's folder name)")
    String name;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        List<String> formats = Arrays.stream(format.split(",")).map(s -> s.strip().toLowerCase(Locale.ROOT)).toList();
        if (formats.isEmpty() || !List.of("hf", "gguf").containsAll(formats)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format " + format + ": give hf, gguf or hf,gguf");
        }
        ExportDtype dt;
        GgmlType gt;
        try {
            dt = ExportDtype.parse(dtype);
            gt = GgmlType.parse(ggufType);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        String modelName = name != null ? name : out.toAbsolutePath().getFileName().toString();
        Path baseDir = ModelLocator.fromEnvironment((f, d, t) -> {}).locate(model);
        try (Tokenizer tok = Tokenizer.load(baseDir);
                CausalLm lm = ModelLoader.load(baseDir, Quantization.parse(quant))) {
            LoraModel lora = LoraModel.load(lm, adapter);
            w.println("adapter " + adapter + ": " + lora);
            List<int[]> probes = probes(tok);
            Merger.Merged merged = Merger.merge(lora);
            w.printf(Locale.ROOT, "merged %d adapted projections into %s%s%n", merged.merged(), baseDir,
                    merged.dequantized() > 0 ? "; " + merged.dequantized() + " NF4 projections now f32" : "");
            merged.notes().forEach(n -> w.println("note: " + n));
            Export.Options options = new Export.Options(new java.util.LinkedHashSet<>(formats), dt, gt, modelName);
            ExportReport report = Export.write(lm, tok, baseDir, out, options, merged.notes());
            if (formats.contains("hf")) {
                try (CausalLm back = ModelLoader.load(out)) {
                    w.println("check " + ExportCheck.compare("Hugging Face folder (" + dt.torchName() + ")", lm, back, probes));
                }
            }
            if (formats.contains("gguf")) {
                Optional<Path> llama = LlamaCppLogits.locate(llamaCpp);
                if (llama.isPresent()) {
                    w.println("check " + ExportCheck.compare("GGUF " + gt + " in llama.cpp", lm, probes,
                            LlamaCppLogits.of(llama.get(), out.resolve(options.ggufFile()), probes)));
                } else {
                    w.println("check GGUF in llama.cpp: skipped (give --llama-cpp DIR or set " + LlamaCppLogits.ENV
                            + " to a folder with node-llama-cpp: npm install node-llama-cpp)");
                }
            }
            w.println(report.table().print());
            report.notes().stream().filter(n -> !merged.notes().contains(n)).forEach(n -> w.println("  " + n));
        }
        return 0;
    }

    /** Two short chat turns to compare the export with the merged model on. */
    private static List<int[]> probes(Tokenizer tok) {
        List<int[]> out = new ArrayList<>();
        for (String q : List.of("Summarise the termination clause in one sentence.", "What is 3 times USD 12,000?")) {
            out.add(tok.encodePrompt(List.of(Map.of("role", "user", "content", q))));
        }
        return out;
    }
}
