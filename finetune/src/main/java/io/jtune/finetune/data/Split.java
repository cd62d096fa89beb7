package io.jtune.finetune.data;

import java.util.Locale;

/** The parts a {@link Dataset} is divided into. */
public enum Split {
    TRAIN, VALIDATION, TEST;

    /** The lower-case name shown in tables and summaries ({@code train}, {@code validation}, {@code test}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
