package io.jtune.finetune.tokenize.template;

import com.hubspot.jinjava.objects.SafeString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jinjava.de.odysseus.el.misc.NumberOperations;
import jinjava.de.odysseus.el.misc.TypeConverter;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.javax.el.ELContext;

/**
 * Binary operators with Python's meaning, for {@link Jinja2SyntaxBuilder}: {@code and} and
 * {@code or} return one of their operands and evaluate the right one only when needed;
 * {@code ==} and the comparisons do not convert between strings and numbers;
 * {@code "%s" % x} formats; {@code "-" * 3} and {@code [x] * 2} repeat; {@code %} and {@code //}
 * round towards negative infinity; {@code **} gives a float for a negative exponent.
 */
final class PythonOperators {
    private PythonOperators() {}

    static final AstBinary.Operator AND = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            return PythonValues.truthy(a) ? right.eval(bindings, context) : a;
        }

        @Override
        public String toString() {
            return "and";
        }
    };

    static final AstBinary.Operator OR = new AstBinary.Operator() {
        @Override
        public Object eval(Bindings bindings, ELContext context, AstNode left, AstNode right) {
            Object a = left.eval(bindings, context);
            return PythonValues.truthy(a) ? a : right.eval(bindings, context);
        }

        @Override
        public String toString() {
            return "or";
        }
    };

    static final AstBinary.Operator MOD = new Simple("%") {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if (a instanceof String format) {
                return PythonPercentFormat.format(format, b);
            }
            if (isInteger(a) && isInteger(b)) {
                long divisor = ((Number) b).longValue();
                if (divisor == 0) {
                    throw new ArithmeticException("integer division or modulo by zero");
                }
                return Math.floorMod(((Number) a).longValue(), divisor);
            }
            if (a instanceof Number x && b instanceof Number y) {
                double d = y.doubleValue();
                if (d == 0) {
                    throw new ArithmeticException("float modulo");
                }
                double r = x.doubleValue() % d;
                return r != 0 && (r < 0) != (d < 0) ? r + d : r;
            }
            return NumberOperations.mod(converter, a, b);
        }
    };

    static final AstBinary.Operator MUL = new Simple("*") {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if (isInteger(b) && (a instanceof String || a instanceof List)) {
                return repeat(a, ((Number) b).intValue());
            }
            if (isInteger(a) && (b instanceof String || b instanceof List)) {
                return repeat(b, ((Number) a).intValue());
            }
            return NumberOperations.mul(converter, a, b);
        }
    };

    static final AstBinary.Operator FLOOR_DIV = new Simple("//") {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if (isInteger(a) && isInteger(b)) {
                long divisor = ((Number) b).longValue();
                if (divisor == 0) {
                    throw new ArithmeticException("integer division or modulo by zero");
                }
                return Math.floorDiv(((Number) a).longValue(), divisor);
            }
            double d = number(b, "//").doubleValue();
            if (d == 0) {
                throw new ArithmeticException("float floor division by zero");
            }
            return Math.floor(number(a, "//").doubleValue() / d);
        }
    };

    static final AstBinary.Operator POWER = new Simple("**") {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            if (isInteger(a) && isInteger(b) && ((Number) b).longValue() >= 0) {
                BigInteger result = BigInteger.valueOf(((Number) a).longValue()).pow(((Number) b).intValue());
                return result.bitLength() < 64 ? (Object) result.longValue() : result;
            }
            return Math.pow(number(a, "**").doubleValue(), number(b, "**").doubleValue());
        }
    };

    static final AstBinary.Operator EQ = new Simple("==") {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return pythonEquals(a, b);
        }
    };

    static final AstBinary.Operator NE = new Simple("!=") {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return !pythonEquals(a, b);
        }
    };

    static final AstBinary.Operator LT = new Simple("<") {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return compare(a, b, "<") < 0;
        }
    };

    static final AstBinary.Operator LE = new Simple("<=") {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return compare(a, b, "<=") <= 0;
        }
    };

    static final AstBinary.Operator GT = new Simple(">") {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return compare(a, b, ">") > 0;
        }
    };

    static final AstBinary.Operator GE = new Simple(">=") {
        @Override
        protected Object apply(TypeConverter converter, Object a, Object b) {
            return compare(a, b, ">=") >= 0;
        }
    };

    /**
     * Python's {@code a == b}: numbers (and booleans, which are numbers) by value, strings with
     * strings, lists item by item, dicts entry by entry; a string never equals a number.
     */
    static boolean pythonEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (isNumeric(a) && isNumeric(b)) {
            return compareNumbers(a, b) == 0;
        }
        if (isText(a) || isText(b)) {
            return isText(a) && isText(b) && a.toString().equals(b.toString());
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !pythonEquals(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        List<Object> x = a instanceof Map ? null : PythonValues.asList(a);
        List<Object> y = b instanceof Map ? null : PythonValues.asList(b);
        if (x != null && y != null) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!pythonEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** Python's ordering: numbers by value, strings by code point, lists item by item. */
    static int compare(Object a, Object b, String operator) {
        if (isNumeric(a) && isNumeric(b)) {
            return compareNumbers(a, b);
        }
        if (isText(a) && isText(b)) {
            return compareText(a.toString(), b.toString());
        }
        List<Object> x = a instanceof Map ? null : PythonValues.asList(a);
        List<Object> y = b instanceof Map ? null : PythonValues.asList(b);
        if (x != null && y != null) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!pythonEquals(x.get(i), y.get(i))) {
                    return compare(x.get(i), y.get(i), operator);
                }
            }
            return Integer.compare(x.size(), y.size());
        }
        throw new IllegalArgumentException("'" + operator + "' not supported between " + PythonValues.repr(a) + " and "
                + PythonValues.repr(b));
    }

    private static boolean isNumeric(Object o) {
        return o instanceof Number || o instanceof Boolean;
    }

    private static boolean isText(Object o) {
        return o instanceof CharSequence || o instanceof Character || o instanceof SafeString;
    }

    private static int compareNumbers(Object a, Object b) {
        Number x = number(a, "compare");
        Number y = number(b, "compare");
        if (isInteger(x) && isInteger(y)) {
            return Long.compare(x.longValue(), y.longValue());
        }
        return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
    }

    private static int compareText(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private abstract static class Simple extends AstBinary.SimpleOperator {
        private final String symbol;

        Simple(String symbol) {
            this.symbol = symbol;
        }

        @Override
        public String toString() {
            return symbol;
        }
    }

    private static boolean isInteger(Object o) {
        return o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte;
    }

    private static Number number(Object o, String operator) {
        if (o instanceof Number n) {
            return n;
        }
        if (o instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        throw new IllegalArgumentException("unsupported operand for " + operator + ": " + PythonValues.repr(o));
    }

    private static Object repeat(Object value, int times) {
        int n = Math.max(times, 0);
        if (value instanceof String s) {
            return s.repeat(n);
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.addAll((List<?>) value);
        }
        return out;
    }
}
