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

    /** Higher wins when several renderers support a value. Built-ins use 0; user renderers default to 100. */
    default int priority() {
        return 100;
    }
}
