package io.jtune.kernel.display;

import java.util.Objects;

/**
 * An SVG document to show as {@code image/svg+xml}.
 *
 * @param svg the SVG markup, starting with {@code <svg} or an XML declaration
 */
public record Svg(String svg) {
    public Svg {
        Objects.requireNonNull(svg, "svg");
    }
}
