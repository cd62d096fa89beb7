package io.jtune.finetune.tokenize.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Python's {@code str} methods for strings in a template, by code point where Python counts
 * characters and with Python's idea of whitespace: {@code strip}, {@code split}, {@code startswith},
 * {@code title}, {@code replace}, {@code find}, {@code join}, {@code format} (positional fields) and
 * the rest of {@link #METHODS}.
 */
final class PythonStrings {
    /** The methods {@link #call} knows. */
    static final Set<String> METHODS = Set.of("strip", "lstrip", "rstrip", "startswith", "endswith", "split",
            "rsplit", "splitlines", "title", "upper", "lower", "capitalize", "swapcase", "replace", "find", "rfind",
            "index", "rindex", "count", "join", "format", "isdigit", "isalpha", "isalnum", "isspace", "isupper",
            "islower", "zfill");

    private PythonStrings() {}

    /** Calls method {@code name} of string {@code s} with {@code args}, as Python would. */
    static Object call(String s, String name, Object[] args) {
        switch (name) {
            case "strip":
                return strip(s, optString(args, 0), true, true);
            case "lstrip":
                return strip(s, optString(args, 0), true, false);
            case "rstrip":
                return strip(s, optString(args, 0), false, true);
            case "startswith":
                return affixes(name, args).stream().anyMatch(s::startsWith);
            case "endswith":
                return affixes(name, args).stream().anyMatch(s::endsWith);
            case "split": {
                String sep = optString(args, 0);
                int max = optInt(args, 1, -1);
                return sep == null ? splitWhitespace(s, max) : split(s, sep, max);
            }
            case "rsplit":
                return rsplit(s, optString(args, 0), optInt(args, 1, -1));
            case "splitlines":
                return splitlines(s, args.length > 0 && Boolean.TRUE.equals(args[0]));
            case "title":
                return title(s);
            case "upper":
                return s.toUpperCase(Locale.ROOT);
            case "lower":
                return s.toLowerCase(Locale.ROOT);
            case "capitalize":
                return capitalize(s);
            case "swapcase":
                return swapcase(s);
            case "replace":
                return replace(s, string(name, args, 0), string(name, args, 1), optInt(args, 2, -1));
            case "find":
                return codePointIndex(s, s.indexOf(string(name, args, 0)));
            case "rfind":
                return codePointIndex(s, s.lastIndexOf(string(name, args, 0)));
            case "index":
            case "rindex": {
                String sub = string(name, args, 0);
                int at = name.equals("index") ? s.indexOf(sub) : s.lastIndexOf(sub);
                if (at < 0) {
                    throw new IllegalArgumentException("substring not found");
                }
                return codePointIndex(s, at);
            }
            case "count":
                return count(s, string(name, args, 0));
            case "join":
                return join(s, args.length > 0 ? args[0] : null);
            case "format":
                return format(s, args);
            case "isdigit":
                return !s.isEmpty() && s.codePoints().allMatch(Character::isDigit);
            case "isalpha":
                return !s.isEmpty() && s.codePoints().allMatch(Character::isLetter);
            case "isalnum":
                return !s.isEmpty() && s.codePoints().allMatch(Character::isLetterOrDigit);
            case "isspace":
                return !s.isEmpty() && s.codePoints().allMatch(PythonStrings::isSpace);
            case "isupper":
                return hasCased(s) && s.codePoints().noneMatch(c -> Character.isLowerCase(c) || Character.isTitleCase(c));
            case "islower":
                return hasCased(s) && s.codePoints().noneMatch(c -> Character.isUpperCase(c) || Character.isTitleCase(c));
            case "zfill":
                return zfill(s, optInt(args, 0, 0));
            default:
                throw new IllegalStateException("no Python string method " + name);
        }
    }

    private static String optString(Object[] args, int i) {
        return args.length > i && args[i] != null ? PythonValues.str(args[i]) : null;
    }

    private static String string(String method, Object[] args, int i) {
        if (args.length <= i || args[i] == null) {
            throw new IllegalArgumentException("str." + method + "() takes an argument " + (i + 1));
        }
        return PythonValues.str(args[i]);
    }

    private static int optInt(Object[] args, int i, int otherwise) {
        return args.length > i && args[i] instanceof Number n ? n.intValue() : otherwise;
    }

    private static List<String> affixes(String method, Object[] args) {
        if (args.length == 0 || args[0] == null) {
            throw new IllegalArgumentException("str." + method + "() takes a string or a tuple of strings");
        }
        List<Object> many = PythonValues.asList(args[0]);
        List<String> out = new ArrayList<>();
        if (many == null) {
            out.add(PythonValues.str(args[0]));
        } else {
            many.forEach(x -> out.add(PythonValues.str(x)));
        }
        return out;
    }

    private static List<String> rsplit(String s, String sep, int max) {
        if (max < 0) {
            return sep == null ? splitWhitespace(s, -1) : split(s, sep, -1);
        }
        String reversed = new StringBuilder(s).reverse().toString();
        List<String> parts = sep == null
                ? splitWhitespace(reversed, max)
                : split(reversed, new StringBuilder(sep).reverse().toString(), max);
        List<String> out = new ArrayList<>();
        for (int i = parts.size() - 1; i >= 0; i--) {
            out.add(new StringBuilder(parts.get(i)).reverse().toString());
        }
        return out;
    }

    private static List<String> splitlines(String s, boolean keepEnds) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int eol = i + 1;
            boolean boundary = c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || (c >= 0x1c && c <= 0x1e)
                    || c == 0x85 || c == 0x2028 || c == 0x2029;
            if (!boundary) {
                i++;
                continue;
            }
            if (c == '\r' && eol < s.length() && s.charAt(eol) == '\n') {
                eol++;
            }
            lines.add(s.substring(start, keepEnds ? eol : i));
            start = eol;
            i = eol;
        }
        if (start < s.length()) {
            lines.add(s.substring(start));
        }
        return lines;
    }

    private static String swapcase(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(c -> sb.append(Character.isUpperCase(c) ? Character.toString(c).toLowerCase(Locale.ROOT)
                : Character.isLowerCase(c) ? Character.toString(c).toUpperCase(Locale.ROOT) : Character.toString(c)));
        return sb.toString();
    }

    private static String replace(String s, String old, String with, int max) {
        if (max < 0) {
            return old.isEmpty() ? insertEverywhere(s, with) : s.replace(old, with);
        }
        StringBuilder sb = new StringBuilder();
        int start = 0;
        for (int done = 0; done < max; done++) {
            int at = s.indexOf(old, start);
            if (at < 0 || old.isEmpty()) {
                break;
            }
            sb.append(s, start, at).append(with);
            start = at + old.length();
        }
        return sb.append(s.substring(start)).toString();
    }

    private static String insertEverywhere(String s, String with) {
        StringBuilder sb = new StringBuilder(with);
        s.codePoints().forEach(c -> sb.appendCodePoint(c).append(with));
        return sb.toString();
    }

    private static int codePointIndex(String s, int charIndex) {
        return charIndex < 0 ? -1 : s.codePointCount(0, charIndex);
    }

    private static int count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.codePointCount(0, s.length()) + 1;
        }
        int n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    /** {@code separator.join(items)}: items as {@code str()}, a string's characters one by one. */
    static String join(String separator, Object items) {
        List<Object> list = PythonValues.asList(items);
        if (list == null && items instanceof String str) {
            list = new ArrayList<>();
            for (int c : str.codePoints().toArray()) {
                list.add(Character.toString(c));
            }
        }
        if (list == null) {
            throw new IllegalArgumentException("str.join() takes a list of strings");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                sb.append(separator);
            }
            sb.append(PythonValues.str(list.get(i)));
        }
        return sb.toString();
    }

    /** {@code str.format} with positional fields: {@code {}}, {@code {0}}, and {@code {{}}/{@code }}}. */
    private static String format(String s, Object[] args) {
        StringBuilder sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                sb.append('{');
                i++;
            } else if (c == '}' && i + 1 < s.length() && s.charAt(i + 1) == '}') {
                sb.append('}');
                i++;
            } else if (c == '{') {
                int close = s.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("str.format(): single '{' in the format string");
                }
                String field = s.substring(i + 1, close);
                int index;
                if (field.isEmpty()) {
                    index = auto++;
                } else if (field.chars().allMatch(Character::isDigit)) {
                    index = Integer.parseInt(field);
                } else {
                    throw new IllegalArgumentException("str.format(): only positional fields are supported, not {"
                            + field + "}");
                }
                if (index >= args.length) {
                    throw new IllegalArgumentException("str.format(): no argument " + index);
                }
                sb.append(PythonValues.str(args[index]));
                i = close;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean hasCased(String s) {
        return s.codePoints().anyMatch(c -> Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c));
    }

    private static String zfill(String s, int width) {
        int len = s.codePointCount(0, s.length());
        if (len >= width) {
            return s;
        }
        String zeros = "0".repeat(width - len);
        if (!s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-')) {
            return s.charAt(0) + zeros + s.substring(1);
        }
        return zeros + s;
    }

    /** Whether Python's {@code str.isspace()} holds for this character. */
    static boolean isSpace(int c) {
        return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f
                || c == 0x3000;
    }

    /** {@code s.strip(chars)}; {@code chars == null} strips Python whitespace. */
    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        if (left) {
            while (start < end && stripped(s.codePointAt(start), chars)) {
                start += Character.charCount(s.codePointAt(start));
            }
        }
        if (right) {
            while (end > start && stripped(s.codePointBefore(end), chars)) {
                end -= Character.charCount(s.codePointBefore(end));
            }
        }
        return s.substring(start, end);
    }

    private static boolean stripped(int c, String chars) {
        return chars == null ? isSpace(c) : chars.codePoints().anyMatch(x -> x == c);
    }

    /** {@code s.split()} without a separator: runs of Python whitespace, no empty parts. */
    static List<String> splitWhitespace(String s, int maxSplit) {
        List<String> parts = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (true) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return parts;
            }
            if (maxSplit >= 0 && parts.size() == maxSplit) {
                parts.add(strip(s.substring(i), null, false, true));
                return parts;
            }
            int start = i;
            while (i < n && !isSpace(s.charAt(i))) {
                i++;
            }
            parts.add(s.substring(start, i));
        }
    }

    /** {@code s.split(sep, maxsplit)} with a separator. */
    static List<String> split(String s, String sep, int maxSplit) {
        if (sep.isEmpty()) {
            throw new IllegalArgumentException("empty separator");
        }
        List<String> parts = new ArrayList<>();
        int start = 0;
        while (maxSplit < 0 || parts.size() < maxSplit) {
            int at = s.indexOf(sep, start);
            if (at < 0) {
                break;
            }
            parts.add(s.substring(start, at));
            start = at + sep.length();
        }
        parts.add(s.substring(start));
        return parts;
    }

    /** {@code s.title()}: the first cased letter after an uncased character upper, the rest lower. */
    static String title(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            boolean cased = Character.isUpperCase(c) || Character.isLowerCase(c) || Character.isTitleCase(c);
            if (cased) {
                sb.append(previousCased ? Character.toString(c).toLowerCase() : titleCase(c));
            } else {
                sb.appendCodePoint(c);
            }
            previousCased = cased;
        }
        return sb.toString();
    }

    /** {@code s.capitalize()}: the first character in title case, the rest lower case. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int first = s.codePointAt(0);
        return titleCase(first) + s.substring(Character.charCount(first)).toLowerCase();
    }

    private static String titleCase(int c) {
        int title = Character.toTitleCase(c);
        if (title != c || !Character.isLowerCase(c)) {
            return Character.toString(title);
        }
        return Character.toString(c).toUpperCase();
    }

}
