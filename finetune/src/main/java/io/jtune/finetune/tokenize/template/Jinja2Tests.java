package io.jtune.finetune.tokenize.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@code is} tests whose Jinjava versions differ from Jinja2's: in Python strings and dicts are
 * {@code iterable} and {@code sequence}s too.
 */
final class Jinja2Tests {
    private Jinja2Tests() {}

    /** Every test here, to register over Jinjava's own. */
    static List<ExpTest> all() {
        Predicate<Object> iterable = v -> v instanceof CharSequence || v instanceof Map || v instanceof Iterable
                || v instanceof Iterator || (v != null && v.getClass().isArray());
        return List.of(test("iterable", iterable), test("sequence", iterable));
    }

    private static ExpTest test(String name, Predicate<Object> predicate) {
        return new ExpTest() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean evaluate(Object value, JinjavaInterpreter interpreter, Object... args) {
                return predicate.test(value);
            }
        };
    }
}
