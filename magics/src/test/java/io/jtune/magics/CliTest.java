package io.jtune.magics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Cli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void oneTableHoldsTheKernelsAndTheEnginesCommands() {
        assertEquals(List.of("kernel", "run", "install", "uninstall", "warmup", "tiny-model", "generate", "next-token",
                "train", "eval", "merge", "base-model"),
                List.copyOf(Cli.commandLine().getSubcommands().keySet()));
    }

    @Test
    void helpListsTheCommandsButNotTheHiddenWarmup() {
        assertEquals(0, run("--help"));
        String help = out.toString();
        for (String command : List.of("kernel", "run", "install", "uninstall", "tiny-model", "generate", "next-token")) {
            assertTrue(help.contains("\n  " + command + " "), command + " missing from\n" + help);
        }
        assertFalse(help.contains("warmup"), help);
    }

    @Test
    void eachCommandHasItsOwnHelp() {
        assertEquals(0, run("generate", "--help"));
        assertTrue(out.toString().startsWith("Usage: jtune generate "), out.toString());
        assertTrue(out.toString().contains("--max-new-tokens=N"), out.toString());
        assertEquals(0, run("run", "--help"));
        assertTrue(out.toString().contains("--allow-errors"), out.toString());
    }

    @Test
    void aMistypedCommandExitsTwoWithASuggestion() {
        assertEquals(2, run("generat", "model"));
        assertEquals("jtune: unknown command 'generat'\nDid you mean: generate?", err.toString().strip());
        assertEquals(2, run("tiny-modle", "dir"));
        assertTrue(err.toString().endsWith("Did you mean: tiny-model?\n"), err.toString());
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err.toString().contains("give a command"), err.toString());
        assertTrue(err.toString().contains("Usage: jtune"), err.toString());
    }

    @Test
    void aFailingCommandPrintsOneLineAndExitsOne(@TempDir Path dir) {
        assertEquals(1, run("run", dir.resolve("missing.ipynb").toString()));
        assertEquals("jtune run: " + dir.resolve("missing.ipynb") + ": no such notebook", err.toString().strip());
    }
}
