package io.jtune.finetune.data.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.finetune.data.Example;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alpaca-format JSONL for the generated data sets: one {@code {"instruction","input","output"}}
 * object per line, UTF-8.
 */
public final class LegalAlpacaJsonl {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> FIELDS = List.of("instruction", "input", "output");

    private LegalAlpacaJsonl() {}

    /** Writes the instruction, input and output fields of {@code examples} (missing ones as ""). */
    public static void write(Path file, List<Example> examples) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (Example example : examples) {
                    ObjectNode row = MAPPER.createObjectNode();
                    for (String field : FIELDS) {
                        row.put(field, example.fields().getOrDefault(field, ""));
                    }
                    out.write(MAPPER.writeValueAsString(row));
                    out.write('\n');
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Reads the rows of an alpaca JSONL file as field maps, skipping blank lines. */
    public static List<Map<String, String>> read(Path file) {
        List<Map<String, String>> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = MAPPER.readTree(line);
                Map<String, String> row = new LinkedHashMap<>();
                for (String field : FIELDS) {
                    row.put(field, node.path(field).asText(""));
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return rows;
    }
}
