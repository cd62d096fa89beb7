package io.jtune.magics;

/**
 * The command line of the jtune distribution ({@code ./jtune}): the model commands go to the
 * engine's command line, everything else to the kernel's.
 */
public final class Cli {
    private Cli() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        switch (command) {
            case "generate", "next-token", "tiny-model" -> io.jtune.finetune.cli.ModelCommands.main(args);
            default -> io.jtune.kernel.Main.main(args);
        }
    }
}
