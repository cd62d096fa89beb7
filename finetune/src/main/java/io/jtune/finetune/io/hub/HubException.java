package io.jtune.finetune.io.hub;

import java.io.IOException;
import java.net.URI;

/**
 * The Hugging Face Hub answered a request with an error status. The message says what it means
 * for the user: 401 and 403 that the repository is gated or private and HF_TOKEN must be set to a
 * token with access; 404 that the repository, revision or file does not exist (naming both the
 * repository and the file); anything else names the status and the URL.
 */
public class HubException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final URI url;

    public HubException(String message, int status, URI url) {
        super(message);
        this.status = status;
        this.url = url;
    }

    /** The HTTP status, such as 404. */
    public int status() {
        return status;
    }

    /** The URL that was answered with the status. */
    public URI url() {
        return url;
    }
}
