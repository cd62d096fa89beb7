package io.jtune.finetune.cli;

import io.jtune.finetune.model.ModelConfig;
import io.jtune.finetune.model.TinyModels;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jtune tiny-model DIR}: writes a small model folder with random weights, offline. */
@Command(name = "tiny-model", description = "Write a small model folder with random weights (offline, to try things)")
final class TinyModelCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The folder to write")
    Path dir;

    @Option(names = "--arch", paramLabel = "llama|qwen2", defaultValue = "llama", description = "The architecture (default: ${DEFAULT-VALUE})")
    String arch;

    @Option(names = "--size", paramLabel = "test|demo", defaultValue = "demo", description = "The size (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "The seed of the random weights (default: ${DEFAULT-VALUE})")
    int seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TinyModels.Spec model = switch (arch + "/" + size) {
            case "llama/test" -> TinyModels.TEST_LLAMA;
            case "qwen2/test" -> TinyModels.TEST_QWEN2;
            case "llama/demo" -> TinyModels.DEMO_LLAMA;
            default -> throw new ParameterException(spec.commandLine(), "--arch " + arch + " --size " + size
                    + " is not a tiny model; choose llama/test, qwen2/test or llama/demo");
        };
        ModelConfig config = TinyModels.write(dir, model, seed);
        spec.commandLine().getOut().printf("wrote %s: %s, %,d parameters (random weights)%n", dir, config,
                config.parameterCount());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
