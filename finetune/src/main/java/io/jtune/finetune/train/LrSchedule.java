package io.jtune.finetune.train;

import java.util.Locale;

/**
 * The learning rate over a run, as transformers' {@code get_constant_schedule_with_warmup},
 * {@code get_linear_schedule_with_warmup} and {@code get_cosine_schedule_with_warmup} define it:
 * a linear warmup from 0 over the first {@code warmup} steps, then constant, a linear decay to 0 at
 * {@code total}, or half a cosine to 0 at {@code total}. Steps count from 0, the first optimizer
 * step, so with a warmup the first step runs at rate 0, as in transformers' Trainer.
 */
public enum LrSchedule {
    CONSTANT, LINEAR, COSINE;

    /** The factor the peak rate is multiplied by at optimizer step {@code step} (0-based). */
    public double factor(long step, long warmup, long total) {
        if (step < warmup) {
            return (double) step / Math.max(1, warmup);
        }
        return switch (this) {
            case CONSTANT -> 1.0;
            case LINEAR -> Math.max(0.0, (double) (total - step) / Math.max(1, total - warmup));
            case COSINE -> {
                double progress = (double) (step - warmup) / Math.max(1, total - warmup);
                yield Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));
            }
        };
    }

    /** Reads {@code constant}, {@code linear} or {@code cosine} (any case). */
    public static LrSchedule parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("schedule '" + name + "' is not one of constant, linear, cosine", e);
        }
    }
}
