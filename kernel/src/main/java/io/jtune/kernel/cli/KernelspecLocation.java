package io.jtune.kernel.cli;

import io.jtune.kernel.install.KernelspecInstaller;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Where {@code install} and {@code uninstall} work: {@code --user} (the default) or {@code --prefix DIR}, and {@code --name}. */
final class KernelspecLocation {
    static final class Where {
        @Option(names = "--user", description = "The user's Jupyter data folder (the default)")
        boolean user;

        @Option(names = "--prefix", paramLabel = "DIR", description = "DIR/share/jupyter/kernels instead")
        Path prefix;
    }

    @ArgGroup(exclusive = true)
    Where where;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = KernelspecInstaller.DEFAULT_NAME,
            description = "The kernelspec's name (default: ${DEFAULT-VALUE})")
    String name;

    /** The prefix, or null for the user's folder. */
    Path prefix() {
        return where == null ? null : where.prefix;
    }
}
