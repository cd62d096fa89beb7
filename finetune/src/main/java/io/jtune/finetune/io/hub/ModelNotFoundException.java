package io.jtune.finetune.io.hub;

import java.io.IOException;

/**
 * A model reference could not be resolved to a local folder without the network: it is not a
 * folder, not (completely) in the Hugging Face cache, and offline mode is on, or the reference is
 * neither a folder nor a Hub repository id. The message names the reference and where it looked.
 */
public class ModelNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    public ModelNotFoundException(String message) {
        super(message);
    }
}
