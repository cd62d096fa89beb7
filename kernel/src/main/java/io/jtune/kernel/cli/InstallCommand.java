package io.jtune.kernel.cli;

import io.jtune.kernel.install.KernelspecInstaller;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jtune install}: writes the Jupyter kernelspec that starts this launcher. */
@Command(name = "install", description = "Write a Jupyter kernelspec for jtune")
final class InstallCommand implements Callable<Integer> {
    @Mixin
    KernelspecLocation location;

    @Option(names = "--java-opts", paramLabel = "OPTS",
            description = "JVM options the kernel starts with (default: ${DEFAULT-VALUE})",
            defaultValue = KernelspecInstaller.DEFAULT_JAVA_OPTS)
    String javaOpts;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path dir;
        try {
            dir = KernelspecInstaller.install(location.prefix(), location.name, javaOpts);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        spec.commandLine().getOut().println("Installed kernelspec " + location.name + " in " + dir);
        return 0;
    }
}
