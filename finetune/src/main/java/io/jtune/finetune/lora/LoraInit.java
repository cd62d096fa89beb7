package io.jtune.finetune.lora;

/**
 * How a new adapter's A and B start (PEFT's {@code init_lora_weights}).
 */
public enum LoraInit {
    /**
     * PEFT's default ({@code init_lora_weights=True}): A Kaiming-uniform with a = sqrt(5), that is
     * U(-1/sqrt(in), 1/sqrt(in)) as {@code torch.nn.Linear} draws it; B zeros, so a new adapter
     * leaves the model's output unchanged.
     */
    KAIMING("true"),
    /** PEFT's {@code "gaussian"}: A ~ N(0, (1/r)^2), B zeros. */
    GAUSSIAN("gaussian"),
    /**
     * PEFT's {@code init_lora_weights=False}: A and B both as {@code torch.nn.Linear} draws them,
     * so the adapter changes the output from the start. For tests and experiments, not training.
     */
    RANDOM("false");

    private final String peftName;

    LoraInit(String peftName) {
        this.peftName = peftName;
    }

    /** The value as PEFT writes it in adapter_config.json ({@code true}, {@code false} or {@code "gaussian"}). */
    public String peftName() {
        return peftName;
    }

    /** Reads PEFT's {@code init_lora_weights} ({@code true}, {@code false}, {@code "gaussian"}). */
    public static LoraInit fromPeft(String value) {
        for (LoraInit i : values()) {
            if (i.peftName.equalsIgnoreCase(value)) {
                return i;
            }
        }
        throw new IllegalArgumentException("init_lora_weights '" + value + "' is not supported here; jtune knows "
                + "true (Kaiming A, zero B), \"gaussian\" and false");
    }
}
