package io.jtune.finetune.data.read;

import java.util.Map;

/**
 * The shape of a row, recognised by its keys (after any column mapping). A file holds rows of one
 * format: {@link DatasetLoader} takes it from the first valid row of each file, or from
 * {@link DatasetLoader.Builder#format(RowFormat)}, and reports rows of another shape.
 */
public enum RowFormat {
    /** {@code instruction}, {@code output}, optional {@code input} and {@code system}. */
    ALPACA("alpaca"),
    /** {@code prompt}, {@code completion}, optional {@code system}. */
    PROMPT_COMPLETION("prompt/completion"),
    /** {@code messages}: {@code {role, content}} turns. */
    MESSAGES("messages"),
    /** ShareGPT {@code conversations}: {@code {from, value}} turns. */
    SHAREGPT("sharegpt");

    private final String label;

    RowFormat(String label) {
        this.label = label;
    }

    /** The name used in messages, such as {@code alpaca} or {@code prompt/completion}. */
    public String label() {
        return label;
    }

    /** The format a row's keys choose, in the order messages, conversations, alpaca, prompt/completion; null when none. */
    static RowFormat of(Map<String, ?> values) {
        if (values.containsKey("messages")) {
            return MESSAGES;
        } else if (values.containsKey("conversations")) {
            return SHAREGPT;
        } else if (values.containsKey("instruction") || values.containsKey("output")) {
            return ALPACA;
        } else if (values.containsKey("prompt") || values.containsKey("completion")) {
            return PROMPT_COMPLETION;
        }
        return null;
    }
}
