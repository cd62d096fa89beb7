package io.jtune.kernel.display.builtin;

import io.jtune.kernel.api.HtmlEscaper;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderer;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Built-in renderer of {@link Throwable}s: class, message and stack trace (with causes) as
 * {@code text/plain}, and the same escaped in a {@code <pre>} as {@code text/html}.
 */
public final class ThrowableRenderer implements Renderer {
    @Override
    public boolean supports(Object value) {
        return value instanceof Throwable;
    }

    @Override
    public MimeBundle render(Object value) {
        StringWriter trace = new StringWriter();
        try (PrintWriter out = new PrintWriter(trace)) {
            ((Throwable) value).printStackTrace(out);
        }
        String text = trace.toString().stripTrailing();
        return MimeBundle.of(MimeBundle.TEXT_PLAIN, text)
                .put(MimeBundle.TEXT_HTML, "<pre class=\"jtune-exception\">" + HtmlEscaper.escape(text) + "</pre>");
    }

    @Override
    public int priority() {
        return 0;
    }
}
