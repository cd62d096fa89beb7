package io.jtune.finetune.tokenize.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python's {@code "format" % args} string formatting, for templates that write
 * {@code "%s: %d" % (name, n)}: conversions {@code s r d i u f F e E x X o c %}, the flags
 * {@code - + space 0 #}, width, precision and {@code %(key)s} with a mapping.
 */
final class PythonPercentFormat {
    private PythonPercentFormat() {}

    /**
     * Formats {@code args} into {@code format}: a list gives one value per conversion, a map serves
     * {@code %(key)s}, anything else is the single value.
     */
    static String format(String format, Object args) {
        List<Object> list = args instanceof Map ? null : PythonValues.asList(args);
        Object[] values = list != null ? list.toArray() : new Object[] {args};
        int next = 0;
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i >= format.length()) {
                throw new IllegalArgumentException("incomplete format");
            }
            Object value = null;
            boolean keyed = false;
            if (format.charAt(i) == '(') {
                int close = format.indexOf(')', i);
                if (close < 0 || !(args instanceof Map<?, ?> map)) {
                    throw new IllegalArgumentException("format requires a mapping");
                }
                value = map.get(format.substring(i + 1, close));
                keyed = true;
                i = close + 1;
            }
            StringBuilder flags = new StringBuilder();
            while (i < format.length() && "-+ 0#".indexOf(format.charAt(i)) >= 0) {
                flags.append(format.charAt(i++));
            }
            int width = 0;
            while (i < format.length() && Character.isDigit(format.charAt(i))) {
                width = width * 10 + (format.charAt(i++) - '0');
            }
            int precision = -1;
            if (i < format.length() && format.charAt(i) == '.') {
                i++;
                precision = 0;
                while (i < format.length() && Character.isDigit(format.charAt(i))) {
                    precision = precision * 10 + (format.charAt(i++) - '0');
                }
            }
            if (i >= format.length()) {
                throw new IllegalArgumentException("incomplete format");
            }
            char conversion = format.charAt(i++);
            if (conversion == '%') {
                out.append('%');
                continue;
            }
            if (!keyed) {
                if (next >= values.length) {
                    throw new IllegalArgumentException("not enough arguments for format string");
                }
                value = values[next++];
            }
            out.append(pad(convert(conversion, flags.toString(), precision, value), flags.toString(), width,
                    "dioxXfFeE".indexOf(conversion) >= 0));
        }
        if (!(args instanceof Map) && next < values.length) {
            throw new IllegalArgumentException("not all arguments converted during string formatting");
        }
        return out.toString();
    }

    private static String convert(char conversion, String flags, int precision, Object value) {
        switch (conversion) {
            case 's': {
                String s = PythonValues.str(value == null ? "None" : value);
                return precision >= 0 && precision < s.length() ? s.substring(0, precision) : s;
            }
            case 'r':
                return PythonValues.repr(value);
            case 'd':
            case 'i':
            case 'u':
                return sign(integer(value).toString(), flags);
            case 'x':
            case 'X':
            case 'o': {
                BigInteger n = integer(value);
                String digits = n.abs().toString(conversion == 'o' ? 8 : 16);
                if (flags.contains("#")) {
                    digits = (conversion == 'o' ? "0o" : "0x") + digits;
                }
                digits = conversion == 'X' ? digits.toUpperCase(Locale.ROOT) : digits;
                return sign((n.signum() < 0 ? "-" : "") + digits, flags);
            }
            case 'f':
            case 'F': {
                BigDecimal d = new BigDecimal(number(value).toString());
                return sign(d.setScale(precision < 0 ? 6 : precision, RoundingMode.HALF_EVEN).toPlainString(), flags);
            }
            case 'e':
            case 'E': {
                String s = String.format(Locale.ROOT, "%." + (precision < 0 ? 6 : precision) + "e",
                        number(value).doubleValue());
                return sign(conversion == 'E' ? s.toUpperCase(Locale.ROOT) : s, flags);
            }
            case 'c':
                return value instanceof Number n ? Character.toString(n.intValue()) : PythonValues.str(value);
            default:
                throw new IllegalArgumentException("unsupported format character '" + conversion + "'");
        }
    }

    private static BigInteger integer(Object value) {
        if (value instanceof BigInteger b) {
            return b;
        }
        if (value instanceof Boolean b) {
            return b ? BigInteger.ONE : BigInteger.ZERO;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return new BigDecimal(value.toString()).toBigInteger();
        }
        if (value instanceof Number n) {
            return BigInteger.valueOf(n.longValue());
        }
        throw new IllegalArgumentException("%d format: a real number is required, not " + PythonValues.repr(value));
    }

    private static Number number(Object value) {
        if (value instanceof Number n) {
            return n;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        throw new IllegalArgumentException("must be real number, not " + PythonValues.repr(value));
    }

    private static String sign(String s, String flags) {
        if (s.startsWith("-")) {
            return s;
        }
        if (flags.contains("+")) {
            return "+" + s;
        }
        return flags.contains(" ") ? " " + s : s;
    }

    private static String pad(String s, String flags, int width, boolean numeric) {
        int len = s.codePointCount(0, s.length());
        if (len >= width) {
            return s;
        }
        String fill = " ".repeat(width - len);
        if (flags.contains("-")) {
            return s + fill;
        }
        if (numeric && flags.contains("0")) {
            int signs = s.startsWith("-") || s.startsWith("+") || s.startsWith(" ") ? 1 : 0;
            return s.substring(0, signs) + "0".repeat(width - len) + s.substring(signs);
        }
        return fill + s;
    }
}
