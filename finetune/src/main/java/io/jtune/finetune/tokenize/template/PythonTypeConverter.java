package io.jtune.finetune.tokenize.template;

import com.hubspot.jinjava.el.TruthyTypeConverter;

/**
 * Jinjava's type coercions with Python's truth and string values: the string {@code "false"} is
 * true (Jinjava would call it false), and {@code ~} joins {@code True}, not {@code true}.
 */
final class PythonTypeConverter extends TruthyTypeConverter {
    private static final long serialVersionUID = 1L;

    @Override
    protected Boolean coerceToBoolean(Object value) {
        return PythonValues.truthy(value);
    }

    @Override
    protected String coerceToString(Object value) {
        return PythonValues.str(value);
    }
}
