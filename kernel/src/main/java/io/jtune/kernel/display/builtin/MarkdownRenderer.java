package io.jtune.kernel.display.builtin;

import io.jtune.kernel.display.Markdown;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;

/** Built-in renderer of {@link Markdown}: {@code text/markdown}, with the source as {@code text/plain}. */
public final class MarkdownRenderer implements Renderer {
    @Override
    public boolean supports(Object value) {
        return value instanceof Markdown;
    }

    @Override
    public MimeBundle render(Object value) {
        String md = ((Markdown) value).markdown();
        return MimeBundle.of(MimeBundle.TEXT_MARKDOWN, md).put(MimeBundle.TEXT_PLAIN, md);
    }

    @Override
    public int priority() {
        return 0;
    }
}
