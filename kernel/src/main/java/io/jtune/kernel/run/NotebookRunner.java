package io.jtune.kernel.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.kernel.eval.KernelOptions;
import io.jtune.kernel.eval.CellResult;
import io.jtune.kernel.eval.EvaluatorOptions;
import io.jtune.kernel.eval.JShellEvaluator;
import io.jtune.kernel.magic.MagicRegistry;
import io.jtune.kernel.protocol.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Executes a notebook without Jupyter, with the kernel's own evaluator, and writes the outputs
 * back as nbformat 4 (execution counts, streams, display data, results, errors), as {@code jupyter
 * nbconvert --execute} would. Cells run in the notebook's folder.
 */
public final class NotebookRunner {
    /** What happened to a run: how many code cells ran and the first failure, if any. */
    public record Outcome(int cellsRun, int failedCell, String failure) {
        public boolean ok() {
            return failedCell < 0;
        }
    }

    private final JShellEvaluator evaluator;
    private final PrintStream console;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jtune-cell-timeout");
        t.setDaemon(true);
        return t;
    });

    public NotebookRunner(JShellEvaluator evaluator, PrintStream console) {
        this.evaluator = evaluator;
        this.console = console;
    }

    /**
     * Runs the notebook {@code in} with a fresh evaluator over {@code magics} and writes it with its
     * outputs to {@code out} (default: {@code NAME.nbconvert.ipynb} beside it); returns the exit code
     * (1 when a cell failed, unless {@code allowErrors}). This is {@code jtune run}.
     */
    public static int runFile(Path in, Path out, boolean allowErrors, long timeout, boolean quiet,
            MagicRegistry magics) throws IOException {
        if (!Files.isRegularFile(in)) {
            throw new IOException(in + ": no such notebook");
        }
        if (out == null) {
            out = defaultOut(in);
        }
        ObjectNode notebook = read(in);
        Path dir = in.toAbsolutePath().getParent();
        EvaluatorOptions options = KernelOptions.fromEnvironment().withWorkingDirectory(dir);
        PrintStream console = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        Outcome outcome;
        try (JShellEvaluator evaluator = new JShellEvaluator(options, magics)) {
            NotebookRunner runner = new NotebookRunner(evaluator, quiet ? new PrintStream(PrintStream.nullOutputStream()) : console);
            outcome = runner.run(notebook, allowErrors, timeout);
        }
        write(notebook, out);
        System.err.flush();
        if (outcome.ok()) {
            console.println("\n[jtune run] " + outcome.cellsRun() + " cells ran; outputs written to " + out);
            return 0;
        }
        console.println("\n[jtune run] cell " + outcome.failedCell() + " failed: " + outcome.failure()
                + "\n[jtune run] outputs written to " + out);
        return allowErrors ? 0 : 1;
    }

    /** Where {@link #runFile} writes when no output is named: NAME.nbconvert.ipynb beside the notebook. */
    public static Path defaultOut(Path in) {
        String name = in.getFileName().toString().replaceFirst("\\.ipynb$", "");
        return in.toAbsolutePath().resolveSibling(name + ".nbconvert.ipynb");
    }

    /** Runs every code cell of {@code notebook} in place; stops at the first failure unless allowed. */
    public Outcome run(ObjectNode notebook, boolean allowErrors, long timeoutSeconds) {
        checkFormat(notebook);
        evaluator.awaitReady(); // a cell's timeout counts from its start, not from JShell's
        ArrayNode cells = (ArrayNode) notebook.path("cells");
        OutputCollector collector = new OutputCollector(console);
        int count = 0;
        int failedCell = -1;
        String failure = null;
        for (int i = 0; i < cells.size(); i++) {
            ObjectNode cell = (ObjectNode) cells.get(i);
            if (!"code".equals(cell.path("cell_type").asText())) {
                continue;
            }
            String source = text(cell.get("source"));
            count++;
            ArrayNode outputs = cell.putArray("outputs");
            cell.put("execution_count", count);
            console.println("\n[" + count + "] " + firstLine(source));
            collector.startCell(outputs, count);
            AtomicBoolean timedOut = new AtomicBoolean();
            ScheduledFuture<?> alarm = timeoutSeconds <= 0 ? null : timer.schedule(() -> {
                timedOut.set(true);
                evaluator.interrupt();
            }, timeoutSeconds, TimeUnit.SECONDS);
            CellResult result = evaluator.execute(source, collector);
            if (alarm != null) {
                alarm.cancel(false);
            }
            collector.finish(result, timedOut.get() ? timeoutSeconds : 0);
            if (!result.ok() && failedCell < 0) {
                failedCell = count;
                failure = timedOut.get() ? "timed out after " + timeoutSeconds + " s" : result.error().ename() + ": " + result.error().evalue();
                if (!allowErrors) {
                    break;
                }
            }
        }
        ObjectNode meta = notebook.with("metadata");
        ObjectNode ks = meta.putObject("kernelspec");
        ks.put("name", "jtune").put("display_name", "Java (jtune)").put("language", "java");
        ObjectNode lang = meta.putObject("language_info");
        lang.put("name", "java").put("version", Runtime.version().toString()).put("mimetype", "text/x-java-source")
                .put("file_extension", ".jshell").put("codemirror_mode", "text/x-java").put("pygments_lexer", "java");
        return new Outcome(count, failedCell, failure);
    }

    private static void checkFormat(ObjectNode nb) {
        if (nb.path("nbformat").asInt(0) != 4) {
            throw new IllegalArgumentException("nbformat: " + nb.path("nbformat") + " is not supported (only nbformat 4)");
        }
        if (!nb.path("cells").isArray()) {
            throw new IllegalArgumentException("cells: missing or not a list");
        }
    }

    static ObjectNode read(Path file) throws IOException {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not a JSON notebook: " + e.getMessage(), e);
        }
        if (!(n instanceof ObjectNode o)) {
            throw new IOException(file + ": a notebook is a JSON object");
        }
        try {
            checkFormat(o);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return o;
    }

    /** Writes a notebook atomically (temp file, then rename), one-space indented like Jupyter. */
    static void write(ObjectNode notebook, Path out) throws IOException {
        Path abs = out.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
        Files.writeString(tmp, NotebookJson.pretty(notebook) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
    }

    /** nbformat allows a string or a list of lines. */
    static String text(JsonNode n) {
        if (n == null || n.isNull()) {
            return "";
        }
        if (n.isArray()) {
            StringBuilder sb = new StringBuilder();
            n.forEach(x -> sb.append(x.asText()));
            return sb.toString();
        }
        return n.asText();
    }

    private static String firstLine(String source) {
        String s = source.strip();
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl) + " ...";
        return line.length() > 100 ? line.substring(0, 97) + "..." : line;
    }
}
