package io.jtune.kernel.cli;

import io.jtune.kernel.install.KernelspecInstaller;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code jtune uninstall}: removes a kernelspec {@code install} wrote. */
@Command(name = "uninstall", description = "Remove the kernelspec")
final class UninstallCommand implements Callable<Integer> {
    @Mixin
    KernelspecLocation location;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Optional<Path> removed;
        try {
            removed = KernelspecInstaller.uninstall(location.prefix(), location.name);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (removed.isEmpty()) {
            spec.commandLine().getErr().println("no kernelspec " + location.name + " to remove");
            return 1;
        }
        spec.commandLine().getOut().println("Removed kernelspec " + location.name + " from " + removed.get());
        return 0;
    }
}
