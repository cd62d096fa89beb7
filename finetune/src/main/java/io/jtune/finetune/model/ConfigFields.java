package io.jtune.finetune.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Typed reads of one JSON object of {@code config.json}, each refusing a value of the wrong JSON
 * type with a message {@code field: what is wrong}. The field is named with its path from the top
 * of the file ({@code rope_scaling.factor}), so the reader only has to prefix the file.
 */
final class ConfigFields {
    private final JsonNode json;
    private final String prefix;

    private ConfigFields(JsonNode json, String prefix) {
        this.json = json;
        this.prefix = prefix;
    }

    /** The fields of the whole file. */
    static ConfigFields of(JsonNode json) {
        return new ConfigFields(json, "");
    }

    /** The JSON object in {@code field}, or null when the field is absent or null. */
    ConfigFields object(String field) {
        JsonNode n = present(field);
        if (n == null) {
            return null;
        }
        if (!n.isObject()) {
            throw wrong(field, "must be a JSON object", n);
        }
        return new ConfigFields(n, name(field) + ".");
    }

    boolean has(String field) {
        return present(field) != null;
    }

    /** The full name of {@code field}, as messages show it. */
    String name(String field) {
        return prefix + field;
    }

    String text(String field, String dflt) {
        JsonNode n = present(field);
        if (n == null) {
            return orMissing(field, dflt);
        }
        if (!n.isTextual()) {
            throw wrong(field, "must be a string", n);
        }
        return n.asText();
    }

    boolean bool(String field, boolean dflt) {
        JsonNode n = present(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw wrong(field, "must be true or false", n);
        }
        return n.asBoolean();
    }

    /** An integer no smaller than {@code min}. */
    int integer(String field, Integer dflt, int min) {
        JsonNode n = present(field);
        int value;
        if (n == null) {
            value = orMissing(field, dflt);
        } else if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw wrong(field, "must be an integer" + (n.isIntegralNumber() ? " below 2^31" : ""), n);
        } else {
            value = n.asInt();
        }
        if (value < min) {
            throw new IllegalArgumentException(name(field) + ": must be >= " + min + ", got " + value);
        }
        return value;
    }

    /** A finite number greater than zero. */
    double positive(String field, Double dflt) {
        JsonNode n = present(field);
        if (n == null) {
            return orMissing(field, dflt);
        }
        if (!n.isNumber()) {
            throw wrong(field, "must be a number", n);
        }
        double value = n.asDouble();
        if (Double.isInfinite(value)) {
            throw new IllegalArgumentException(name(field) + ": must be a finite number > 0, got one too large for a"
                    + " double");
        }
        if (value <= 0) {
            throw new IllegalArgumentException(name(field) + ": must be a finite number > 0, got " + n);
        }
        return value;
    }

    /** The raw node, or null when absent or null. */
    JsonNode present(String field) {
        JsonNode n = json.get(field);
        return n == null || n.isNull() ? null : n;
    }

    private <T> T orMissing(String field, T dflt) {
        if (dflt == null) {
            throw new IllegalArgumentException(name(field) + ": is missing");
        }
        return dflt;
    }

    IllegalArgumentException wrong(String field, String what, JsonNode got) {
        String shown = got.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        return new IllegalArgumentException(name(field) + ": " + what + ", got " + shown);
    }
}
