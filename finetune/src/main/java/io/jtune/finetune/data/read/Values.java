package io.jtune.finetune.data.read;

import java.util.List;
import java.util.Map;

/** Names of value types as a user sees them in JSON, for messages like "got number". */
final class Values {
    private Values() {
    }

    static String typeName(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof String) {
            return "string";
        } else if (value instanceof Number) {
            return "number";
        } else if (value instanceof Boolean) {
            return "boolean";
        } else if (value instanceof List<?>) {
            return "array";
        } else if (value instanceof Map<?, ?>) {
            return "object";
        }
        return value.getClass().getSimpleName();
    }
}
