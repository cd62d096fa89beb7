package io.jtune.finetune.io.safetensors;

import java.io.IOException;

/**
 * A safetensors file, a sharded checkpoint's index, or a tensor request is malformed or cannot be
 * read or written.
 *
 * <p>This is a checked exception: it extends {@link IOException}, so callers that already handle
 * I/O failures handle it too. Every message starts with the file it is about (its file name, or the
 * full path where the name alone would be ambiguous) and says which field or tensor is wrong, for
 * example {@code "model.safetensors: tensor 'lm_head.weight': data_offsets [0, 12] hold 12 bytes but
 * shape [2, 3] of F32 needs 24"}. The readers and writers in this package report every failure,
 * including the underlying {@link IOException}s of the file system, as this type.
 */
public class SafetensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafetensorsException(String message) {
        super(message);
    }

    public SafetensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}
