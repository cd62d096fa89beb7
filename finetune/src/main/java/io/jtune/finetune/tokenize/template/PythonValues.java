package io.jtune.finetune.tokenize.template;

import com.hubspot.jinjava.objects.SafeString;
import io.jtune.finetune.json.PythonJson;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Python's view of Java values, as Jinja2 templates see them: {@code str()}, {@code repr()},
 * {@code bool()} and {@code len()} (strings counted in code points), and lists of anything
 * iterable.
 *
 * <p>{@code null} stands for both Python's {@code None} and Jinja2's undefined; since a chat template
 * prints an undefined value as the empty string, {@link #str} writes {@code null} as {@code ""}.
 */
final class PythonValues {
    private PythonValues() {}

    /** {@code str(value)}, with {@code null} (undefined or None) as the empty string. */
    static String str(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof CharSequence || value instanceof Character || value instanceof SafeString) {
            return value.toString();
        }
        return repr(value);
    }

    /** {@code repr(value)}: strings quoted, {@code True}/{@code False}/{@code None}, lists and dicts. */
    static String repr(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof CharSequence || value instanceof Character || value instanceof SafeString) {
            return reprString(value.toString());
        }
        if (value instanceof Double || value instanceof Float) {
            return pythonFloat(((Number) value).doubleValue());
        }
        if (value instanceof BigDecimal d) {
            return pythonFloat(d.doubleValue());
        }
        if (value instanceof Number) {
            return value.toString();
        }
        if (value instanceof Map.Entry<?, ?> pair) {
            return "(" + repr(pair.getKey()) + ", " + repr(pair.getValue()) + ")";
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
            }
            return sb.append('}').toString();
        }
        List<Object> items = asList(value);
        if (items != null) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(repr(items.get(i)));
            }
            return sb.append(']').toString();
        }
        return value.toString();
    }

    /** Python's {@code bool(value)}: None, False, zero, and empty strings and collections are false. */
    static boolean truthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof CharSequence cs) {
            return cs.length() > 0;
        }
        if (value instanceof Map<?, ?> map) {
            return !map.isEmpty();
        }
        if (value instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (value.getClass().isArray()) {
            return Array.getLength(value) > 0;
        }
        return !(value instanceof SafeString s) || !s.toString().isEmpty();
    }

    /** The items of a list, array or other iterable (not a string or map), or {@code null}. */
    static List<Object> asList(Object value) {
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        if (value instanceof Iterable<?> iterable) {
            List<Object> items = new ArrayList<>();
            iterable.forEach(items::add);
            return items;
        }
        if (value instanceof Iterator<?> iterator) {
            List<Object> items = new ArrayList<>();
            iterator.forEachRemaining(items::add);
            return items;
        }
        if (value != null && value.getClass().isArray()) {
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
            return items;
        }
        return null;
    }

    /** Python's {@code repr(float)}. */
    static String pythonFloat(double d) {
        String json = PythonJson.pythonFloat(d);
        return switch (json) {
            case "NaN" -> "nan";
            case "Infinity" -> "inf";
            case "-Infinity" -> "-inf";
            default -> json;
        };
    }

    private static String reprString(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == quote || c == '\\') {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(quote).toString();
    }

    /** {@code len(value)}: code points for strings, entries for maps, items for sequences. */
    static int length(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof CharSequence cs) {
            return Character.codePointCount(cs, 0, cs.length());
        }
        if (value instanceof Map<?, ?> map) {
            return map.size();
        }
        List<Object> items = asList(value);
        return items == null ? 0 : items.size();
    }
}
