package io.jtune.finetune.tokenize.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The global functions Hugging Face gives chat templates, {@code raise_exception(message)} and
 * {@code strftime_now(format)}, and the slice helper behind {@code x[a:b:c]}.
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

    /** The definitions to register. */
    static List<ELFunctionDefinition> all() {
        return List.of(define("raise_exception", "raiseException", Object.class),
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
