package io.jtune.kernel.display;

/**
 * Turns objects of some Java types into a {@link MimeBundle}. Implementations are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.jtune.kernel.display.Renderer})
 * and can also be registered at run time through {@link Renderers#register(Renderer)}.
 */
public interface Renderer {
    /** Whether this renderer handles {@code value} (never null). */
    boolean supports(Object value);

    /** The bundle for {@code value}; {@code text/plain} may be left out, the registry adds it. */
    MimeBundle render(Object value);

    /**
     * The bundle for {@code value} when the caller asked only for {@code mimeTypes} (never empty),
     * as {@link Renderers#render(Object, String...)} does, so that a type that is costly to make
     * can be made on request only. The registry still drops types that were not asked for. By
     * default {@link #render(Object)}.
     */
    default MimeBundle render(Object value, java.util.Set<String> mimeTypes) {
        return render(value);
    }

    /** Higher wins when several renderers support a value. Built-ins use 0; user renderers default to 100. */
    default int priority() {
        return 100;
    }
}
