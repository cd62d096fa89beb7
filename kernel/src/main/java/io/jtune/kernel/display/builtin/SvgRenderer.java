package io.jtune.kernel.display.builtin;

import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;
import io.jtune.kernel.display.Svg;

/** Built-in renderer of {@link Svg}: {@code image/svg+xml}, with a short description as {@code text/plain}. */
public final class SvgRenderer implements Renderer {
    @Override
    public boolean supports(Object value) {
        return value instanceof Svg;
    }

    @Override
    public MimeBundle render(Object value) {
        String svg = ((Svg) value).svg();
        return MimeBundle.of(MimeBundle.IMAGE_SVG, svg)
                .put(MimeBundle.TEXT_PLAIN, "SVG image (" + svg.length() + " characters)");
    }

    @Override
    public int priority() {
        return 0;
    }
}
