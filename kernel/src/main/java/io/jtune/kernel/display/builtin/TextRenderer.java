package io.jtune.kernel.display.builtin;

import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;

/** Built-in renderer of {@link CharSequence}s: the characters as {@code text/plain}. */
public final class TextRenderer implements Renderer {
    @Override
    public boolean supports(Object value) {
        return value instanceof CharSequence;
    }

    @Override
    public MimeBundle render(Object value) {
        return MimeBundle.text(value.toString());
    }

    @Override
    public int priority() {
        return 0;
    }
}
