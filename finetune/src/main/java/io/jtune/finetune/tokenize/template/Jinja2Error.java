package io.jtune.finetune.tokenize.template;

/**
 * An error Jinja2 raises while rendering, thrown from inside Jinjava (which records it and renders
 * on) and turned by {@link ChatTemplate} into a {@link ChatTemplateException}: {@code type} is
 * the Python exception Jinja2 raises ({@code UndefinedError}, {@code OverflowError},
 * {@code RecursionError}, {@code TypeError}) and the message is Jinja2's.
 */
final class Jinja2Error extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String type;

    Jinja2Error(String type, String message) {
        super(message, null, false, false);
        this.type = type;
    }

    /** The Python exception's name. */
    String type() {
        return type;
    }

    static Jinja2Error undefined(String message) {
        return new Jinja2Error("UndefinedError", message);
    }

    /** The first Jinja2 error in the chain of causes of {@code t}, or null. */
    static Jinja2Error in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Jinja2Error e) {
                return e;
            }
        }
        return null;
    }
}
