package io.jtune.kernel.cli;

import io.jtune.kernel.magic.MagicRegistry;
import java.util.List;
import java.util.function.Supplier;

/**
 * The commands the kernel adds to the distribution's command line: {@code kernel}, {@code run},
 * {@code install}, {@code uninstall} and the launcher's hidden {@code warmup}. Each is a picocli
 * command object; the distribution adds them as subcommands of its own.
 */
public final class KernelCommands {
    private KernelCommands() {}

    /** The commands, with {@code magics} making the registry each kernel or notebook run uses. */
    public static List<Object> all(Supplier<MagicRegistry> magics) {
        return List.of(new KernelCommand(magics), new RunCommand(magics), new InstallCommand(),
                new UninstallCommand(), new Warmup(magics));
    }
}
