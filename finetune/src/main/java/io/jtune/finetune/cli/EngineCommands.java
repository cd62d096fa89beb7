package io.jtune.finetune.cli;

import java.util.List;

/**
 * The commands the engine adds to the distribution's command line, as picocli command objects:
 * {@code tiny-model}, {@code generate}, {@code next-token}, {@code train}, {@code eval},
 * {@code merge} and {@code base-model}.
 */
public final class EngineCommands {
    private EngineCommands() {}

    /** A fresh instance of each command. */
    public static List<Object> all() {
        return List.of(new TinyModelCommand(), new GenerateCommand(), new NextTokenCommand(), new TrainCommand(), new EvalCommand(),
                new MergeCommand(), new BaseModelCommand());
    }
}
