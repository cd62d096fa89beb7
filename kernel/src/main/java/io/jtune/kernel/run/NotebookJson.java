package io.jtune.kernel.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import io.jtune.kernel.protocol.Json;

/** Notebook JSON written the way Jupyter writes it: one-space indent, "key": value. */
final class NotebookJson {
    private NotebookJson() {}

    static String pretty(JsonNode notebook) throws JsonProcessingException {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter(" ", "\n"))
                .withArrayIndenter(new DefaultIndenter(" ", "\n"))
                .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER));
        return Json.MAPPER.writer(pp).writeValueAsString(notebook);
    }
}
