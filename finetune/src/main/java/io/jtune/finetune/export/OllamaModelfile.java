package io.jtune.finetune.export;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An Ollama {@code Modelfile} for an exported GGUF: {@code FROM} the file, a {@code TEMPLATE} in
 * Go template syntax equivalent to the model's chat template, and a {@code PARAMETER stop} for each
 * end-of-turn token, so that the served model answers in its training format and stops where it
 * should. Templates are recognised by their markers (ChatML, Llama 3); for any other the
 * Modelfile has no TEMPLATE and a comment saying that Ollama will use the GGUF's embedded one.
 */
public final class OllamaModelfile {
    static final String CHATML = """
            {{- if .System }}<|im_start|>system
            {{ .System }}<|im_end|>
            {{ end }}
            {{- range .Messages }}<|im_start|>{{ .Role }}
            {{ .Content }}<|im_end|>
            {{ end }}<|im_start|>assistant
            """;
    static final String LLAMA3 = """
            {{- if .System }}<|start_header_id|>system<|end_header_id|>

            {{ .System }}<|eot_id|>
            {{- end }}
            {{- range .Messages }}<|start_header_id|>{{ .Role }}<|end_header_id|>

            {{ .Content }}<|eot_id|>
            {{- end }}<|start_header_id|>assistant<|end_header_id|>

            """;

    private OllamaModelfile() {
    }

    /** The Go template matching {@code chatTemplate}, if it is one of the families recognised. */
    static Optional<String> goTemplate(String chatTemplate) {
        if (chatTemplate.contains("<|im_start|>") && chatTemplate.contains("<|im_end|>")) {
            return Optional.of(CHATML);
        }
        if (chatTemplate.contains("<|start_header_id|>") && chatTemplate.contains("<|eot_id|>")) {
            return Optional.of(LLAMA3);
        }
        return Optional.empty();
    }

    /**
     * @param ggufFile the file name, relative to the Modelfile's folder
     * @param chatTemplate the model's chat template, if it has one
     * @param stops the end-of-turn and end-of-text tokens
     */
    public static String text(String ggufFile, Optional<String> chatTemplate, List<String> stops) {
        StringBuilder b = new StringBuilder("# Written by jtune merge. Serve with: ollama create NAME -f Modelfile\n");
        b.append("FROM ./").append(ggufFile).append('\n');
        Optional<String> go = chatTemplate.flatMap(OllamaModelfile::goTemplate);
        if (go.isPresent()) {
            b.append("TEMPLATE \"\"\"").append(go.get()).append("\"\"\"\n");
        } else if (chatTemplate.isPresent()) {
            b.append("# The chat template is not one jtune translates to Go (ChatML, Llama 3); Ollama falls back to\n"
                    + "# the template embedded in the GGUF (tokenizer.chat_template) when it recognises it.\n");
        }
        Set<String> unique = new LinkedHashSet<>(stops);
        for (String s : unique) {
            b.append("PARAMETER stop \"").append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        b.append("PARAMETER temperature 0\n");
        return b.toString();
    }
}
