package io.jtune.kernel.display;

import java.util.Objects;

/**
 * HTML to show as {@code text/html}, for example {@code html("<b>done</b>")} as the last
 * expression of a cell or as the argument of {@link Notebook#display(Object)}.
 *
 * @param html the markup, shown as is (not escaped)
 */
public record Html(String html) {
    public Html {
        Objects.requireNonNull(html, "html");
    }
}
