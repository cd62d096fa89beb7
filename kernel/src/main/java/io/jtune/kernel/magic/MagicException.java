package io.jtune.kernel.magic;

/**
 * A magic failed in a way the user can act on. The message is shown as it is, after
 * "Failed to run %NAME:"; the usage line follows.
 */
public class MagicException extends Exception {
    private static final long serialVersionUID = 1L;

    public MagicException(String message) {
        super(message);
    }

    public MagicException(String message, Throwable cause) {
        super(message, cause);
    }
}
