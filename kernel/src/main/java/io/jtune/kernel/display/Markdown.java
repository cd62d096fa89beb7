package io.jtune.kernel.display;

import java.util.Objects;

/**
 * Markdown to show as {@code text/markdown}; the frontend formats it.
 *
 * @param markdown the Markdown source
 */
public record Markdown(String markdown) {
    public Markdown {
        Objects.requireNonNull(markdown, "markdown");
    }
}
