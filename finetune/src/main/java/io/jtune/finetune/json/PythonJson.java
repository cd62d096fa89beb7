package io.jtune.finetune.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python-compatible JSON: {@link #parse} reads text (with Jackson) into the plain values
 * {@code json.loads} gives, and the writer turns plain Java values into JSON text byte for byte like Python's {@code json.dumps}: the same
 * separators ({@code ", "} and {@code ": "} on one line; {@code ","} and {@code ": "} with an
 * indent), the same escapes (lower-case {@code \\uXXXX}, non-ASCII escaped only when
 * {@code ensureAscii} is on), Python's float spelling, and {@code sort_keys}. Maps, lists, arrays
 * and other iterables, strings, numbers, booleans and {@code null} are written; any other object is
 * written as the JSON string of its {@code toString()}.
 *
 * <p>The writer exists for what must match Python's output exactly (the {@code tojson} filter of
 * chat templates, the {@code tokenizer.json} and {@code model.safetensors.index.json} files
 * Hugging Face writes); anything else may use Jackson directly.
 */
public final class PythonJson {
    /** Floats as {@code Double}, NaN and Infinity as Python reads them, nothing after the value. */
    private static final JsonMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private final boolean ensureAscii;
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;
    private final StringBuilder out = new StringBuilder();

    /**
     * @param ensureAscii escape every non-ASCII character, as {@code ensure_ascii=True}
     * @param indent the indent unit, or {@code null} for one line ({@code indent=None})
     * @param itemSeparator between items; {@code null} for Python's default
     * @param keySeparator between a key and its value; {@code null} for Python's default
     * @param sortKeys write object keys in sorted order (by code point, as Python sorts strings)
     */
    public PythonJson(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        this.ensureAscii = ensureAscii;
        this.indent = indent;
        this.itemSeparator = itemSeparator != null ? itemSeparator : (indent == null ? ", " : ",");
        this.keySeparator = keySeparator != null ? keySeparator : ": ";
        this.sortKeys = sortKeys;
    }

    /**
     * Parses one JSON value that makes up the whole text, as {@code json.loads} does: objects
     * become {@link java.util.LinkedHashMap}s (key order kept; of repeated keys the last value
     * wins), arrays {@link ArrayList}s, integers {@link Long} (or {@link java.math.BigInteger} when
     * too large), other numbers {@link Double}, and {@code true}, {@code false}, {@code null}
     * {@link Boolean}s and {@code null}.
     *
     * @throws IllegalArgumentException naming the line and column when the text is not JSON
     */
    public static Object parse(String text) {
        try {
            return widenInts(READER.readValue(text, Object.class));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new IllegalArgumentException("invalid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Jackson's {@code Integer}s as {@code Long}s, in place, so that every integer that fits a long is one. */
    @SuppressWarnings("unchecked")
    private static Object widenInts(Object value) {
        if (value instanceof Integer i) {
            return i.longValue();
        } else if (value instanceof Map<?, ?> map) {
            ((Map<Object, Object>) map).replaceAll((k, v) -> widenInts(v));
        } else if (value instanceof List<?> list) {
            ((List<Object>) list).replaceAll(PythonJson::widenInts);
        }
        return value;
    }

    /** {@code json.dumps(value, ensure_ascii=False)}. */
    public static String dumps(Object value) {
        return new PythonJson(false, null, null, null, false).write(value);
    }

    /** {@code json.dumps(value, ensure_ascii=False, indent=indent)}. */
    public static String dumps(Object value, int indent) {
        return new PythonJson(false, " ".repeat(indent), null, null, false).write(value);
    }

    /** Returns the JSON text of {@code value}. */
    public String write(Object value) {
        out.setLength(0);
        writeValue(value, 0);
        return out.toString();
    }

    private void writeValue(Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof CharSequence || value instanceof Character) {
            writeString(value.toString());
        } else if (value instanceof Double || value instanceof Float) {
            out.append(pythonFloat(((Number) value).doubleValue()));
        } else if (value instanceof BigDecimal d) {
            out.append(pythonFloat(d.doubleValue()));
        } else if (value instanceof Number) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(map, depth);
        } else if (value instanceof Iterable<?> iterable) {
            List<Object> items = new ArrayList<>();
            iterable.forEach(items::add);
            writeArray(items, depth);
        } else if (value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
            writeArray(items, depth);
        } else {
            writeString(value.toString());
        }
    }

    private void writeObject(Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        if (sortKeys) {
            entries.sort((a, b) -> compareCodePoints(String.valueOf(a.getKey()), String.valueOf(b.getKey())));
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : entries) {
            if (!first) {
                out.append(itemSeparator);
            }
            first = false;
            newline(depth + 1);
            writeKey(e.getKey());
            out.append(keySeparator);
            writeValue(e.getValue(), depth + 1);
        }
        newline(depth);
        out.append('}');
    }

    /** Python's string order: by code point, so that a character outside the BMP sorts after U+FFFF. */
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private void writeKey(Object key) {
        if (key instanceof String s) {
            writeString(s);
        } else if (key == null) {
            writeString("null");
        } else if (key instanceof Boolean b) {
            writeString(b ? "true" : "false");
        } else if (key instanceof Double || key instanceof Float) {
            writeString(pythonFloat(((Number) key).doubleValue()));
        } else {
            writeString(key.toString());
        }
    }

    private void writeArray(List<Object> items, int depth) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(itemSeparator);
            }
            newline(depth + 1);
            writeValue(items.get(i), depth + 1);
        }
        newline(depth);
        out.append(']');
    }

    private void newline(int depth) {
        if (indent != null) {
            out.append('\n');
            out.append(indent.repeat(depth));
        }
    }

    private void writeString(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that read back as the same double (the
     * closest such), in exponent form below 1e-4 and from 1e16.
     */
    public static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() == d) {
                shortest = rounded;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        String sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String exp = (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
            return sign + mantissa + "e" + exp;
        }
        String plain = shortest.abs().toPlainString();
        return sign + (plain.contains(".") ? plain : plain + ".0");
    }
}
