package io.jtune.magics.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the Python integration tests in {@code magics/src/it/python}: one dynamic test per
 * {@code test_*.py} module, each {@code /usr/bin/python3 -m unittest -v MODULE} in that folder.
 * They drive the installed kernel through the Debian {@code jupyter_client} (see {@code
 * jtune_it.py}), starting it with {@code <repo>/jtune}, which runs the jar and libraries that
 * {@code mvn package} put in {@code magics/target/lib} (the distribution) before failsafe's integration-test phase.
 *
 * <p>System properties: {@code jtune.it.python} (interpreter, default {@code /usr/bin/python3}),
 * {@code jtune.it.modules} (comma-separated module names to run, default all), {@code
 * jtune.it.timeout} (seconds per module, default 900).
 */
class PythonClientIT {

    private static final String PYTHON = System.getProperty("jtune.it.python", "/usr/bin/python3");
    private static final long TIMEOUT_S = Long.getLong("jtune.it.timeout", 900);

    private static Path moduleDir;
    private static Path repo;
    private static Path pythonDir;

    @BeforeAll
    static void locate() {
        moduleDir = Paths.get(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        repo = moduleDir.getParent();
        pythonDir = moduleDir.resolve("src/it/python");
        assertTrue(Files.isRegularFile(pythonDir.resolve("jtune_it.py")), "no " + pythonDir + "/jtune_it.py");
        Path launcher = repo.resolve("jtune");
        assertTrue(Files.isExecutable(launcher), "launcher " + launcher + " is missing or not executable");
        assertTrue(Files.isExecutable(Paths.get(PYTHON)), PYTHON + " not found: install Debian's python3 "
                + "and python3-jupyter-client (apt-get install python3-jupyter-client jupyter-nbconvert "
                + "python3-nbclient)");
        Run probe = run(List.of(PYTHON, "-c", "import jupyter_client, nbformat; print(jupyter_client.__version__)"),
                60);
        if (probe.exit != 0) {
            fail(PYTHON + " cannot import jupyter_client: install python3-jupyter-client "
                    + "(apt-get install python3-jupyter-client jupyter-nbconvert python3-nbclient; CI installs "
                    + "them)\n" + probe.output);
        }
        System.out.println("[PythonClientIT] " + PYTHON + " jupyter_client " + probe.output.strip()
                + ", repo " + repo);
    }

    @TestFactory
    Stream<DynamicTest> pythonModules() throws IOException {
        Set<String> only = Arrays.stream(System.getProperty("jtune.it.modules", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        List<String> modules;
        try (Stream<Path> files = Files.list(pythonDir)) {
            modules = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("test_") && n.endsWith(".py"))
                    .map(n -> n.substring(0, n.length() - 3))
                    .filter(n -> only.isEmpty() || only.contains(n))
                    .sorted()
                    .collect(Collectors.toList());
        }
        assertTrue(!modules.isEmpty(), "no test_*.py modules in " + pythonDir + " (jtune.it.modules=" + only + ")");
        return modules.stream().map(m -> DynamicTest.dynamicTest(m, () -> runModule(m)));
    }

    private static void runModule(String module) {
        Run r = run(List.of(PYTHON, "-u", "-m", "unittest", "-v", module), TIMEOUT_S);
        if (r.exit != 0) {
            fail("python3 -m unittest -v " + module + " exited with " + r.exit + "\n" + r.output);
        }
    }

    private record Run(int exit, String output) {}

    /** Runs a command in the Python folder, echoing and collecting its merged output. */
    private static Run run(List<String> command, long timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                .directory(pythonDir.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("JTUNE_REPO", repo.toString());
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        env.remove("PYTHONPATH");   // Debian's python with its own packages, not a virtualenv's
        env.remove("PYTHONHOME");
        StringBuilder out = new StringBuilder();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Run(-1, "cannot start " + command + ": " + e);
        }
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    System.out.println("[" + command.get(command.size() - 1) + "] " + line);
                    synchronized (out) {
                        out.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                synchronized (out) {
                    out.append("(output lost: ").append(e).append(")\n");
                }
            }
        }, "python-output");
        pump.setDaemon(true);
        pump.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                pump.join(5000);
                synchronized (out) {
                    return new Run(-2, "timed out after " + timeoutSeconds + " s\n" + out);
                }
            }
            pump.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            return new Run(-3, "interrupted\n" + out);
        }
        synchronized (out) {
            return new Run(p.exitValue(), out.toString());
        }
    }
}
