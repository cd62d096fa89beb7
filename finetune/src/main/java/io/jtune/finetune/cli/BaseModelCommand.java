package io.jtune.finetune.cli;

import io.jtune.finetune.base.BaseModelBuilder;
import io.jtune.finetune.base.BaseModelRecipe;
import io.jtune.finetune.base.BuiltinBase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jtune base-model build|path}: rebuilds the built-in base model, or says where it is. */
@Command(name = "base-model", description = "Build the built-in base model from scratch, or print where it is")
final class BaseModelCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "build|path", description = "build: pre-train it (minutes on a laptop CPU);"
            + " path: print the folder in use")
    String action;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write it (default: " + BuiltinBase.RELATIVE
            + " in the jtune folder)")
    Path out;

    @Option(names = "--conversations", paramLabel = "N", description = "Pre-training conversations (default: the"
            + " shipped recipe's)")
    Integer conversations;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        switch (action) {
            case "path" -> {
                w.println(BuiltinBase.require().toAbsolutePath());
                w.flush();
                return 0;
            }
            case "build" -> {
                BaseModelRecipe recipe = BaseModelRecipe.standard();
                if (conversations != null) {
                    if (conversations < 1) {
                        throw new ParameterException(spec.commandLine(), "--conversations must be at least 1");
                    }
                    recipe = recipe.withConversations(conversations,
                            Math.min(conversations, recipe.tokenizerConversations()));
                }
                Path dest = out != null ? out : BuiltinBase.defaultFolder();
                BaseModelBuilder.Result r = new BaseModelBuilder(recipe, line -> {
                    w.println(line);
                    w.flush();
                }).build(dest);
                w.println("wrote " + r.folder() + " (model card: README.md, log: " + BaseModelBuilder.LOG_FILE + ")");
                w.flush();
                return 0;
            }
            default -> throw new ParameterException(spec.commandLine(), "'" + action + "' is not build or path");
        }
    }
}
