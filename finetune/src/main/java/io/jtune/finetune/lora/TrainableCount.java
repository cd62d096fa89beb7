package io.jtune.finetune.lora;

import java.util.Locale;

/**
 * How many parameters a LoRA model trains, counted as PEFT's {@code get_nb_trainable_parameters}
 * counts them: all = the base model's parameters (a tied head once) + the adapters' + the copies of
 * {@code modules_to_save} (whose originals stay, frozen); trainable = adapters + copies.
 */
public record TrainableCount(long trainable, long all) {
    /** Percent trained. */
    public double percent() {
        return all == 0 ? 0 : 100.0 * trainable / all;
    }

    /** PEFT's {@code print_trainable_parameters()} line, e.g. {@code trainable params: 1,792 || all params: 88,256 || trainable%: 2.0305}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "trainable params: %,d || all params: %,d || trainable%%: %.4f",
                trainable, all, percent());
    }
}
