package io.jtune.finetune.tokenize.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.AdvancedFilter;
import com.hubspot.jinjava.lib.filter.Filter;
import io.jtune.finetune.json.PythonJson;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The filters whose Jinjava versions differ from what Hugging Face's Jinja2 environment does:
 * {@code tojson} (Hugging Face's own: {@code json.dumps} with {@code ensure_ascii=False}),
 * {@code trim}, {@code length}/{@code count}, {@code string}, {@code join}, {@code capitalize},
 * {@code title}, {@code items}, {@code sum}, {@code default} (Python truth), {@code max},
 * {@code min}, {@code batch}, {@code format} ({@code %} formatting) and {@code truncate}.
 */
final class Jinja2Filters {
    private Jinja2Filters() {}

    /** Every filter here, to register over Jinjava's own. */
    static List<Filter> all() {
        return List.of(
                filter("tojson", Jinja2Filters::tojson),
                filter("trim", (v, a, k) -> PythonStrings.strip(PythonValues.str(v), optString(arg(a, k, 0, "chars")),
                        true, true)),
                filter("length", (v, a, k) -> PythonValues.length(v)),
                filter("count", (v, a, k) -> PythonValues.length(v)),
                filter("string", (v, a, k) -> PythonValues.str(v)),
                filter("join", Jinja2Filters::join),
                filter("capitalize", (v, a, k) -> PythonStrings.capitalize(PythonValues.str(v))),
                filter("title", (v, a, k) -> title(PythonValues.str(v))),
                filter("items", Jinja2Filters::items),
                filter("sum", Jinja2Filters::sum),
                filter("default", Jinja2Filters::defaultValue),
                filter("d", Jinja2Filters::defaultValue),
                filter("max", (v, a, k) -> extreme(v, a, k, true)),
                filter("min", (v, a, k) -> extreme(v, a, k, false)),
                filter("batch", Jinja2Filters::batch),
                filter("format", (v, a, k) -> PythonPercentFormat.format(PythonValues.str(v),
                        k.isEmpty() ? Arrays.asList(a) : k)),
                filter("truncate", Jinja2Filters::truncate));
    }

    /** A filter body: the value, the positional arguments and the keyword arguments. */
    @FunctionalInterface
    interface Body {
        Object apply(Object value, Object[] args, Map<String, Object> kwargs);
    }

    private static Filter filter(String name, Body body) {
        return new AdvancedFilter() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
                return body.apply(value, args == null ? new Object[0] : args, kwargs == null ? Map.of() : kwargs);
            }
        };
    }

    /** Positional argument {@code i}, or else the keyword argument {@code name}. */
    private static Object arg(Object[] args, Map<String, Object> kwargs, int i, String name) {
        return args.length > i ? args[i] : kwargs.get(name);
    }

    private static String optString(Object value) {
        return value == null ? null : PythonValues.str(value);
    }

    /** Hugging Face's {@code tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)}. */
    private static Object tojson(Object value, Object[] args, Map<String, Object> kwargs) {
        Object ensureAscii = arg(args, kwargs, 0, "ensure_ascii");
        Object indent = arg(args, kwargs, 1, "indent");
        Object separators = arg(args, kwargs, 2, "separators");
        Object sortKeys = arg(args, kwargs, 3, "sort_keys");
        String indentUnit = null;
        if (indent instanceof Number n) {
            indentUnit = " ".repeat(Math.max(n.intValue(), 0));
        } else if (indent instanceof String s) {
            indentUnit = s;
        }
        String itemSeparator = null;
        String keySeparator = null;
        List<Object> pair = PythonValues.asList(separators);
        if (pair != null) {
            if (pair.size() != 2) {
                throw new IllegalArgumentException("tojson: separators must be a pair (item, key)");
            }
            itemSeparator = PythonValues.str(pair.get(0));
            keySeparator = PythonValues.str(pair.get(1));
        }
        return new PythonJson(Boolean.TRUE.equals(ensureAscii), indentUnit, itemSeparator, keySeparator,
                Boolean.TRUE.equals(sortKeys)).write(value);
    }

    /** Jinja2's {@code join(value, d='', attribute=None)}. */
    private static Object join(Object value, Object[] args, Map<String, Object> kwargs) {
        String separator = PythonValues.str(arg(args, kwargs, 0, "d"));
        Object attribute = arg(args, kwargs, 1, "attribute");
        Object items = value instanceof Map<?, ?> map ? new ArrayList<>(map.keySet()) : value;
        List<Object> list = PythonValues.asList(items);
        if (attribute != null && list != null) {
            String key = PythonValues.str(attribute);
            items = list.stream().map(item -> item instanceof Map<?, ?> m ? m.get(key) : item).toList();
        }
        return PythonStrings.join(separator, items);
    }

    private static final Pattern WORD_BEGINNING = Pattern.compile("([-\\s({\\[<]+)");

    /** Jinja2's {@code title} filter: each word's first character upper, the rest lower. */
    static String title(String s) {
        StringBuilder sb = new StringBuilder();
        Matcher m = WORD_BEGINNING.matcher(s);
        int start = 0;
        while (m.find()) {
            appendTitled(sb, s.substring(start, m.start()));
            appendTitled(sb, m.group());
            start = m.end();
        }
        appendTitled(sb, s.substring(start));
        return sb.toString();
    }

    private static void appendTitled(StringBuilder sb, String item) {
        if (item.isEmpty()) {
            return;
        }
        int first = item.codePointAt(0);
        sb.append(Character.toString(first).toUpperCase(Locale.ROOT));
        sb.append(item.substring(Character.charCount(first)).toLowerCase(Locale.ROOT));
    }

    /** Jinja2's {@code sum(iterable, attribute=None, start=0)}: integers stay integers. */
    private static Object sum(Object value, Object[] args, Map<String, Object> kwargs) {
        Object attribute = arg(args, kwargs, 0, "attribute");
        Object start = arg(args, kwargs, 1, "start");
        List<Object> items = PythonValues.asList(value);
        long whole = start instanceof Number n && !(n instanceof Double || n instanceof Float) ? n.longValue() : 0;
        double fraction = start instanceof Double || start instanceof Float ? ((Number) start).doubleValue() : 0;
        boolean floating = start instanceof Double || start instanceof Float;
        for (Object item : items == null ? List.of() : items) {
            Object x = attribute != null && item instanceof Map<?, ?> map ? map.get(PythonValues.str(attribute)) : item;
            if (x instanceof Double || x instanceof Float) {
                floating = true;
                fraction += ((Number) x).doubleValue();
            } else if (x instanceof Number n) {
                whole += n.longValue();
            } else if (x instanceof Boolean b) {
                whole += b ? 1 : 0;
            } else {
                throw new IllegalArgumentException("sum: cannot add " + PythonValues.repr(x));
            }
        }
        return floating ? (Object) (whole + fraction) : (Object) whole;
    }

    /** Jinja2's {@code default(value, default_value='', boolean=False)}, also named {@code d}. */
    private static Object defaultValue(Object value, Object[] args, Map<String, Object> kwargs) {
        Object otherwise = arg(args, kwargs, 0, "default_value");
        boolean byTruth = PythonValues.truthy(arg(args, kwargs, 1, "boolean"));
        boolean use = byTruth ? !PythonValues.truthy(value) : value == null;
        return use ? (otherwise == null ? "" : otherwise) : value;
    }

    /** Jinja2's {@code max}/{@code min(value, case_sensitive=False, attribute=None)}. */
    private static Object extreme(Object value, Object[] args, Map<String, Object> kwargs, boolean max) {
        boolean caseSensitive = PythonValues.truthy(arg(args, kwargs, 0, "case_sensitive"));
        Object attribute = arg(args, kwargs, 1, "attribute");
        List<Object> items = value instanceof String s ? new ArrayList<>(s.codePoints()
                .mapToObj(Character::toString).toList()) : PythonValues.asList(value);
        if (items == null || items.isEmpty()) {
            return null;
        }
        Object best = null;
        Object bestKey = null;
        for (Object item : items) {
            Object key = attribute != null && item instanceof Map<?, ?> map ? map.get(PythonValues.str(attribute)) : item;
            if (!caseSensitive && key instanceof String s) {
                key = s.toLowerCase(Locale.ROOT);
            }
            if (best == null || (max ? compare(key, bestKey) > 0 : compare(key, bestKey) < 0)) {
                best = item;
                bestKey = key;
            }
        }
        return best;
    }

    private static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        throw new IllegalArgumentException("cannot compare " + PythonValues.repr(a) + " and " + PythonValues.repr(b));
    }

    /** Jinja2's {@code batch(value, linecount, fill_with=None)}: no filling unless asked. */
    private static Object batch(Object value, Object[] args, Map<String, Object> kwargs) {
        Object count = arg(args, kwargs, 0, "linecount");
        if (!(count instanceof Number n) || n.intValue() < 1) {
            throw new IllegalArgumentException("batch: linecount must be a positive integer");
        }
        Object fill = arg(args, kwargs, 1, "fill_with");
        List<Object> items = PythonValues.asList(value);
        List<Object> out = new ArrayList<>();
        List<Object> current = new ArrayList<>();
        for (Object item : items == null ? List.of() : items) {
            current.add(item);
            if (current.size() == n.intValue()) {
                out.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty()) {
            while (fill != null && current.size() < n.intValue()) {
                current.add(fill);
            }
            out.add(current);
        }
        return out;
    }

    /** Jinja2's {@code truncate(s, length=255, killwords=False, end='...', leeway=5)}. */
    private static Object truncate(Object value, Object[] args, Map<String, Object> kwargs) {
        String s = PythonValues.str(value);
        Object length = arg(args, kwargs, 0, "length");
        int max = length instanceof Number n ? n.intValue() : 255;
        boolean killWords = PythonValues.truthy(arg(args, kwargs, 1, "killwords"));
        Object endArg = arg(args, kwargs, 2, "end");
        String end = endArg == null ? "..." : PythonValues.str(endArg);
        Object leewayArg = arg(args, kwargs, 3, "leeway");
        int leeway = leewayArg instanceof Number n ? n.intValue() : 5;
        int[] codePoints = s.codePoints().toArray();
        if (codePoints.length <= max + leeway) {
            return s;
        }
        String head = new String(codePoints, 0, Math.max(max - end.length(), 0));
        if (killWords) {
            return head + end;
        }
        int space = head.lastIndexOf(' ');
        return (space < 0 ? head : head.substring(0, space)) + end;
    }

    /** Jinja2's {@code items}: a mapping's (key, value) pairs, in order. */
    private static Object items(Object value, Object[] args, Map<String, Object> kwargs) {
        List<Object> out = new ArrayList<>();
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), e.getValue()));
            }
        } else if (value != null) {
            throw new IllegalArgumentException("items: can only get item pairs from a mapping");
        }
        return out;
    }
}
