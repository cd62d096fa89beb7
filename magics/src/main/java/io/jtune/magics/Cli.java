package io.jtune.magics;

import io.jtune.finetune.cli.EngineCommands;
import io.jtune.kernel.cli.KernelCommands;
import io.jtune.kernel.eval.ExitGuard;
import io.jtune.kernel.log.Log;
import io.jtune.kernel.magic.MagicRegistry;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line of the jtune distribution ({@code ./jtune}): one table of commands, those the
 * kernel contributes ({@link KernelCommands}) and those the engine does ({@link EngineCommands}).
 * Every command has {@code --help}; a mistyped command exits 2 with a suggestion; a failing
 * command prints {@code jtune COMMAND: message} and exits 1 (with the stack trace when
 * {@code JTUNE_DEBUG} is set). Arguments are read as UTF-8 under any locale; one that is not
 * valid UTF-8 exits 2 naming it (see {@link Utf8Arguments}).
 */
@Command(name = "jtune", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        versionProvider = Cli.Version.class, usageHelpAutoWidth = true,
        description = "A Java Jupyter kernel and LLM fine-tuning engine.")
public final class Cli implements Runnable {
    @Spec
    CommandSpec spec;

    /** Without a command: the usage, as a usage error. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "give a command");
    }

    /** The command table, with the magics of every provider on the class path for kernels and notebooks. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Cli());
        KernelCommands.all(MagicRegistry::discover).forEach(cl::addSubcommand);
        EngineCommands.all().forEach(cl::addSubcommand);
        cl.getCommandSpec().usageMessage().footer("%nRun 'jtune COMMAND --help' for a command's options.");
        cl.setParameterExceptionHandler(Cli::usageError);
        cl.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("jtune " + command.getCommandName() + ": " + message(e));
            if (Log.debugEnabled()) {
                e.printStackTrace(command.getErr());
            }
            return command.getCommandSpec().exitCodeOnExecutionException();
        });
        return cl;
    }

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        cl.setOut(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true));
        String[] utf8;
        try {
            utf8 = Utf8Arguments.of(args);
        } catch (IllegalArgumentException e) {
            cl.getErr().println("jtune: " + e.getMessage());
            exit(cl.getCommandSpec().exitCodeOnInvalidInput());
            return;
        }
        exit(cl.execute(utf8));
    }

    /**
     * A command line the user got wrong: the message, then for a mistyped command the closest one
     * ({@code Did you mean: generate?}), else the usage of the command concerned. Exit code 2.
     */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String unknown = e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
                && command.getCommandSpec().parent() == null ? u.getUnmatched().get(0) : null;
        if (unknown != null && !unknown.startsWith("-")) {
            List<String> close = ((UnmatchedArgumentException) e).getSuggestions();
            err.println("jtune: unknown command '" + unknown + "'");
            err.println(close.isEmpty() ? "Run 'jtune --help' for the commands." : "Did you mean: " + close.get(0) + "?");
        } else {
            err.println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            if (!UnmatchedArgumentException.printSuggestions(e, err)) {
                command.usage(err);
            }
        }
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /**
     * Exits even if user code left non-daemon threads or a shutdown hook hangs. The only exit of
     * the distribution: it lifts the guard that refuses exits while notebooks run.
     */
    private static void exit(int code) {
        ExitGuard.allowExit();
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(code);
        }, "jtune-exit-watchdog");
        halt.setDaemon(true);
        halt.start();
        System.exit(code);
    }

    /** {@code --version}: the distribution's version from its jar, and the JVM's. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"jtune " + (v == null ? "(development build)" : v) + ", Java " + Runtime.version()};
        }
    }
}
