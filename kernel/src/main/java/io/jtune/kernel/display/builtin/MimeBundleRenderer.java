package io.jtune.kernel.display.builtin;

import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;

/**
 * Built-in renderer of {@link MimeBundle}s: a bundle shows as itself (a copy, so that the text
 * the registry adds does not change the caller's bundle). This is what lets
 * {@link Notebook#render(Object, String...)} be the value of a cell.
 */
public final class MimeBundleRenderer implements Renderer {
    @Override
    public boolean supports(Object value) {
        return value instanceof MimeBundle;
    }

    @Override
    public MimeBundle render(Object value) {
        return ((MimeBundle) value).copy();
    }

    @Override
    public int priority() {
        return 0;
    }
}
