package io.jtune.finetune.export;

import io.jtune.finetune.io.gguf.GgmlType;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The export that {@code ./jtune merge} and {@code %merge} write from a dense (merged) model: a
 * Hugging Face folder and/or a GGUF file with its Ollama {@code Modelfile}, and the commands that
 * serve them.
 */
public final class Export {
    private Export() {
    }

    /** What to write. */
    public record Options(Set<String> formats, ExportDtype dtype, GgmlType ggufType, String name) {
        public Options {
            formats = Set.copyOf(formats);
            if (formats.isEmpty() || !Set.of("hf", "gguf").containsAll(formats)) {
                throw new IllegalArgumentException("formats " + formats + ": give hf, gguf or both");
            }
        }

        /** The GGUF file's name in the folder. */
        public String ggufFile() {
            return name + "-" + ggufType.name().toLowerCase(Locale.ROOT) + ".gguf";
        }
    }

    /**
     * Writes {@code model} (dense; see {@link Merger}) to {@code out}. {@code notes} (what merging
     * said) lead the report's notes.
     */
    public static ExportReport write(CausalLm model, Tokenizer tok, Path baseDir, Path out, Options o, List<String> notes)
            throws IOException {
        List<ExportedFile> files = new ArrayList<>();
        List<String> all = new ArrayList<>(notes);
        Path abs = out.toAbsolutePath();
        if (o.formats().contains("hf")) {
            ExportReport r = HfFolderExporter.write(model, baseDir, abs, o.dtype(), HfFolderExporter.DEFAULT_SHARD_BYTES);
            files.addAll(r.files());
            all.addAll(r.notes());
            all.add("serve with: vllm serve " + abs + " --served-model-name " + o.name());
        } else {
            Files.createDirectories(abs);
        }
        if (o.formats().contains("gguf")) {
            files.add(GgufExporter.write(model, baseDir, abs.resolve(o.ggufFile()), o.ggufType(), o.name()));
            List<String> stops = new ArrayList<>();
            for (int id : tok.eosIds()) {
                stops.add(tok.tokenText(id));
            }
            Path modelfile = abs.resolve("Modelfile");
            Files.writeString(modelfile, OllamaModelfile.text(o.ggufFile(), tok.chatTemplate(), stops), StandardCharsets.UTF_8);
            files.add(ExportedFile.of(abs, modelfile));
            all.add("serve with: cd " + abs + " && ollama create " + o.name() + " -f Modelfile && ollama run " + o.name());
            all.add("or: llama-cli -m " + abs.resolve(o.ggufFile()) + " -cnv");
        }
        return new ExportReport(abs, files, all);
    }
}
