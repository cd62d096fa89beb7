package io.jtune.finetune.tokenize.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The global functions Hugging Face gives chat templates, {@code raise_exception(message)} and
 * {@code strftime_now(format)}, Jinja2's sandboxed {@code range}, and the slice helper behind
 * {@code x[a:b:c]}.
 */
final class Jinja2Globals {
    private Jinja2Globals() {}

    /** Thrown by {@code raise_exception}; {@link ChatTemplate} turns it into a {@link ChatTemplateException}. */
    static final class Raised extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Raised(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The value of the variables {@code raise_exception} and {@code strftime_now}, so that
     * {@code strftime_now is defined} holds as in Jinja2 (Llama 3.2's template asks); calls still
     * go to the functions.
     */
    static final Object DEFINED = new Object() {
        @Override
        public String toString() {
            return "<function>";
        }
    };

    /**
     * The most items {@code range} gives: Hugging Face renders in Jinja2's sandbox, whose
     * {@code range} raises beyond {@code MAX_RANGE} (Jinjava's own would stop at 1,000 items
     * without a word).
     */
    static final int MAX_RANGE = 100_000;

    /** The definitions to register. */
    static List<ELFunctionDefinition> all() {
        return List.of(define("raise_exception", "raiseException", Object.class),
                define("range", "range", Object.class, Object[].class),
                define("strftime_now", "strftimeNow", String.class),
                define(Jinja2Expressions.SLICE_FUNCTION, "slice", Object.class, Object.class, Object.class));
    }

    private static ELFunctionDefinition define(String name, String method, Class<?>... parameters) {
        try {
            Method m = Jinja2Globals.class.getMethod(method, parameters);
            m.setAccessible(true);
            return new ELFunctionDefinition("", name, m);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code raise_exception(message)}: stops the rendering with the template's message. */
    public static Object raiseException(Object message) {
        throw new Raised(PythonValues.str(message));
    }

    /**
     * Python's {@code range(stop)}, {@code range(start, stop)}, {@code range(start, stop, step)} as
     * a list, refused as the sandbox refuses it when it would hold more than {@link #MAX_RANGE}
     * items.
     */
    public static List<Object> range(Object first, Object... more) {
        if (more.length > 2) {
            throw new Jinja2Error("TypeError", "range expected at most 3 arguments, got " + (1 + more.length));
        }
        long start = more.length == 0 ? 0 : integer(first);
        long stop = more.length == 0 ? integer(first) : integer(more[0]);
        long step = more.length == 2 ? integer(more[1]) : 1;
        if (step == 0) {
            throw new Jinja2Error("ValueError", "range() arg 3 must not be zero");
        }
        long size = step > 0 ? Math.max(0, Math.floorDiv(stop - start + step - 1, step))
                : Math.max(0, Math.floorDiv(start - stop - step - 1, -step));
        if (size > MAX_RANGE) {
            throw new Jinja2Error("OverflowError", "Range too big. The sandbox blocks ranges larger than MAX_RANGE ("
                    + MAX_RANGE + ").");
        }
        List<Object> out = new java.util.ArrayList<>((int) size);
        for (long i = 0, v = start; i < size; i++, v += step) {
            out.add(v == (int) v ? (Object) (int) v : (Object) v);
        }
        return out;
    }

    private static long integer(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof java.math.BigInteger big && big.bitLength() < 63) {
            return ((Number) value).longValue();
        }
        throw new Jinja2Error("TypeError", "'" + (value == null ? "NoneType" : value instanceof String ? "str"
                : value instanceof Number ? "float" : value.getClass().getSimpleName())
                + "' object cannot be interpreted as an integer");
    }

    /** The slice key that {@link Jinja2Expressions} writes for {@code x[a:b:c]}. */
    public static String slice(Object start, Object stop, Object step) {
        return PythonSlice.of(start, stop, step).key();
    }

    /** {@code strftime_now(format)}: the local time now, formatted as Python's {@code strftime}. */
    public static String strftimeNow(String format) {
        Clock clock = JinjavaInterpreter.getCurrent() instanceof Jinja2Interpreter j ? j.clock()
                : Clock.systemDefaultZone();
        return PythonStrftime.format(LocalDateTime.now(clock), format);
    }
}
