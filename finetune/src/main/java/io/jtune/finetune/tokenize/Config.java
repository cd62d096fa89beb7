package io.jtune.finetune.tokenize;

import io.jtune.finetune.io.FileKinds;
import io.jtune.finetune.json.PythonJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON files of a Hugging Face model folder, with errors that name the file and field.
 */
final class Config {
    private Config() {}

    /**
     * Parses a JSON file.
     *
     * @throws IOException naming the file when it cannot be read or is not JSON
     */
    static Object read(Path file) throws IOException {
        if (FileKinds.existsButNotRegular(file)) {
            throw new IOException(file + ": " + FileKinds.notRegular(file));
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(file + ": not UTF-8 text", e);
        }
        try {
            return PythonJson.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a JSON file that must hold an object, or returns {@code null} when the file is absent. */
    static Map<?, ?> readObjectIfPresent(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        Object json = read(file);
        if (!(json instanceof Map<?, ?> map)) {
            throw new IOException(file + ": the top level is not a JSON object");
        }
        return map;
    }

    static Map<?, ?> object(Object value, Path file, String field) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(file + ": " + field + " is missing or not an object");
        }
        return map;
    }

    static int integer(Object value, Path file, String field) {
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return l.intValue();
        }
        throw new IllegalArgumentException(file + ": " + field + " is not an integer: " + PythonJson.dumps(value));
    }

    /**
     * A special token as {@code tokenizer_config.json} writes it: a string, an AddedToken object
     * ({@code {"content": ...}}), or {@code null} for none.
     */
    static String token(Map<?, ?> json, String field, Path file) {
        Object value = json.get(field);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Map<?, ?> added && added.get("content") instanceof String content) {
            return content;
        }
        throw new IllegalArgumentException(file + ": " + field
                + " is neither a string nor an object with a \"content\" string: " + PythonJson.dumps(value));
    }

    /** A token id that may be one integer or a list of them ({@code eos_token_id}); empty when absent. */
    static List<Integer> ids(Map<?, ?> json, String field, Path file) {
        Object value = json.get(field);
        List<Integer> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                out.add(integer(list.get(i), file, field + "[" + i + "]"));
            }
            return out;
        }
        out.add(integer(value, file, field));
        return out;
    }

    /** A boolean field, or {@code null} when absent. */
    static Boolean flag(Map<?, ?> json, String field, Path file) {
        Object value = json.get(field);
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        throw new IllegalArgumentException(file + ": " + field + " is not true or false: " + PythonJson.dumps(value));
    }
}
