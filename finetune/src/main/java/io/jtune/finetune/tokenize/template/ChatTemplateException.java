package io.jtune.finetune.tokenize.template;

/**
 * A chat template could not be rendered: the template called {@code raise_exception(message)}
 * (see {@link #raisedByTemplate()} and {@link #templateMessage()}), or it has a syntax or evaluation
 * error.
 */
public final class ChatTemplateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String templateMessage;
    private final boolean raisedByTemplate;

    ChatTemplateException(String message, String templateMessage, boolean raisedByTemplate, Throwable cause) {
        super(message, cause);
        this.templateMessage = templateMessage;
        this.raisedByTemplate = raisedByTemplate;
    }

    /** This error with {@code origin} (the file holding the template) before its message; unchanged when null. */
    ChatTemplateException from(String origin) {
        if (origin == null) {
            return this;
        }
        ChatTemplateException e = new ChatTemplateException(origin + ": " + getMessage(), templateMessage,
                raisedByTemplate, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }

    /**
     * The message alone: the argument of {@code raise_exception}, byte for byte, or the renderer's
     * description of the error.
     */
    public String templateMessage() {
        return templateMessage;
    }

    /** Whether the template itself refused the input by calling {@code raise_exception}. */
    public boolean raisedByTemplate() {
        return raisedByTemplate;
    }
}
