package io.jtune.finetune.cli;

import java.util.List;

/**
 * The commands the engine adds to the distribution's command line, as picocli command objects:
 * {@code tiny-model}, {@code generate}, {@code next-token} and {@code train}. Evaluation and merging
 * commands join this list as they arrive.
 */
public final class EngineCommands {
    private EngineCommands() {}

    /** A fresh instance of each command. */
    public static List<Object> all() {
        return List.of(new TinyModelCommand(), new GenerateCommand(), new NextTokenCommand(), new TrainCommand(), new BaseModelCommand());
    }
}
