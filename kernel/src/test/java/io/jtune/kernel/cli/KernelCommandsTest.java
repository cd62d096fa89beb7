package io.jtune.kernel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.jtune.kernel.magic.MagicRegistry;
import io.jtune.kernel.protocol.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KernelCommandsTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    /** The kernel's commands under a bare top command, as the distribution builds its table. */
    private CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Top());
        KernelCommands.all(MagicRegistry::discover).forEach(cl::addSubcommand);
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        return cl;
    }

    @CommandLine.Command(name = "jtune")
    static final class Top implements Runnable {
        @Override
        public void run() {}
    }

    @Test
    void installAndUninstallTakeTheFlagsTheyTookBefore() {
        System.setProperty("jtune.launcher", "/opt/jtune/jtune");
        try {
            assertEquals(0, commandLine().execute("install", "--prefix", dir.toString(), "--name", "jt-cli",
                    "--java-opts", "-Xmx1g"));
        } finally {
            System.clearProperty("jtune.launcher");
        }
        Path kernelJson = dir.resolve("share/jupyter/kernels/jt-cli/kernel.json");
        assertTrue(Files.isRegularFile(kernelJson));
        assertEquals(0, commandLine().execute("uninstall", "--prefix", dir.toString(), "--name", "jt-cli"));
        assertFalse(Files.exists(kernelJson));
        assertEquals(1, commandLine().execute("uninstall", "--prefix", dir.toString(), "--name", "jt-cli"));
    }

    @Test
    void conflictingOrUnknownOptionsAreUsageErrors() {
        assertEquals(2, commandLine().execute("install", "--user", "--prefix", dir.toString()));
        assertTrue(err.toString().contains("mutually exclusive"), err.toString());
        assertEquals(2, commandLine().execute("install", "--bogus"));
        assertTrue(err.toString().contains("Unknown option: '--bogus'"), err.toString());
        assertEquals(2, commandLine().execute("uninstall", "--name", "a b"));
        assertTrue(err.toString().contains("--name 'a b'"), err.toString());
        assertEquals(2, commandLine().execute("run"));
        assertEquals(2, commandLine().execute("run", "nb.ipynb", "--timeout", "soon"));
        assertEquals(2, commandLine().execute("kernel"));
    }

    @Test
    void runExecutesANotebookWithTheDiscoveredMagics() throws Exception {
        Path nb = dir.resolve("nb.ipynb");
        Files.writeString(nb, """
                {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                 "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%greet Ada"]},
                           {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["%lsmagic"]}]}
                """);
        Path out = dir.resolve("out.ipynb");
        assertEquals(0, commandLine().execute("run", nb.toString(), "--out", out.toString(), "--quiet",
                "--timeout", "60"));
        JsonNode cells = Json.MAPPER.readTree(out.toFile()).path("cells");
        assertTrue(cells.get(0).toString().contains("Hello, Ada!"), cells.get(0).toString());
        assertTrue(cells.get(1).toString().contains("%greet"), cells.get(1).toString());
    }
}
