package io.jtune.kernel.api;

import io.jtune.kernel.display.DisplayContext;
import io.jtune.kernel.display.DisplaySink;
import io.jtune.kernel.display.Html;
import io.jtune.kernel.display.Image;
import io.jtune.kernel.display.Markdown;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.display.Renderers;
import java.awt.image.BufferedImage;
import java.util.UUID;

/**
 * The display helpers every cell gets through {@code import static io.jtune.kernel.api.Notebook.*;}.
 * Rendering is {@link Renderers}'; output goes to the running cell's {@link DisplayContext#current() sink}.
 *
 * <pre>{@code
 * String id = display(markdown("**working…**"));
 * updateDisplay(id, html("<b>done</b>"));
 * render(chart, "image/svg+xml")   // as the cell's value: only SVG (and text/plain)
 * }</pre>
 */
public final class Notebook {
    private Notebook() {}

    /** Shows {@code o} as a new output of the running cell; returns its display id, for {@link #updateDisplay}. */
    public static String display(Object o) {
        return publish(Renderers.render(o));
    }

    /** Shows {@code o} as a new output with only {@code mimeTypes} (and text/plain); returns its display id. */
    public static String display(Object o, String... mimeTypes) {
        return publish(Renderers.render(o, mimeTypes));
    }

    /** The bundle for {@code o}, not shown; as the value of a cell it shows as itself. */
    public static MimeBundle render(Object o) {
        return Renderers.render(o);
    }

    /** The bundle for {@code o} with only {@code mimeTypes} (and text/plain), not shown. */
    public static MimeBundle render(Object o, String... mimeTypes) {
        return Renderers.render(o, mimeTypes);
    }

    /** Replaces every output shown under {@code displayId} with {@code o}. */
    public static void updateDisplay(String displayId, Object o) {
        DisplayContext.current().display(Renderers.render(o), requireId(displayId), true);
    }

    /** Replaces every output shown under {@code displayId} with {@code o}, keeping only {@code mimeTypes}. */
    public static void updateDisplay(String displayId, Object o, String... mimeTypes) {
        DisplayContext.current().display(Renderers.render(o, mimeTypes), requireId(displayId), true);
    }

    /** Clears the running cell's output now. */
    public static void clearOutput() {
        clearOutput(false);
    }

    /** Clears the running cell's output; with {@code wait}, only when the next output arrives (no flicker). */
    public static void clearOutput(boolean wait) {
        DisplayContext.current().clearOutput(wait);
    }

    /** {@code html} to show as text/html. */
    public static Html html(String html) {
        return new Html(html);
    }

    /** {@code markdown} to show as text/markdown. */
    public static Markdown markdown(String markdown) {
        return new Markdown(markdown);
    }

    /** PNG bytes to show as image/png. */
    public static Image image(byte[] png) {
        return new Image(png);
    }

    /** {@code image} encoded as PNG, to show as image/png. */
    public static Image image(BufferedImage image) {
        return Image.of(image);
    }

    private static String publish(MimeBundle bundle) {
        DisplaySink sink = DisplayContext.current();
        String id = UUID.randomUUID().toString();
        sink.display(bundle, id, false);
        return id;
    }

    private static String requireId(String displayId) {
        if (displayId == null || displayId.isBlank()) {
            throw new IllegalArgumentException("updateDisplay needs the id that display(...) returned");
        }
        return displayId;
    }
}
