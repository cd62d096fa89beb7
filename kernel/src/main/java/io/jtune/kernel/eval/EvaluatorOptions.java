package io.jtune.kernel.eval;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How the notebook's JShell is set up.
 *
 * @param classpath extra class path entries (jars or folders) beyond the kernel's own
 * @param compilerOptions options for the cells' compiler, e.g. {@code --enable-preview}
 * @param startupSnippets Java code run once before the first cell (imports, helpers)
 * @param workingDirectory where relative paths in magics resolve
 * @param timeout how long one top-level statement may run before it is stopped; zero for no limit
 */
public record EvaluatorOptions(
        List<Path> classpath, List<String> compilerOptions, List<String> startupSnippets, Path workingDirectory,
        Duration timeout) {

    /** The imports every notebook starts with: jshell's default set plus the display helpers. */
    public static final List<String> DEFAULT_IMPORTS = List.of(
            "import java.io.*;",
            "import java.math.*;",
            "import java.net.*;",
            "import java.nio.file.*;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import java.util.function.*;",
            "import java.util.prefs.*;",
            "import java.util.regex.*;",
            "import java.util.stream.*;",
            "import io.jtune.kernel.api.NotebookException;",
            "import static io.jtune.kernel.api.Notebook.*;",
            "import static io.jtune.kernel.api.NotebookFunctions.*;");

    public EvaluatorOptions {
        classpath = List.copyOf(classpath);
        compilerOptions = List.copyOf(compilerOptions);
        startupSnippets = List.copyOf(startupSnippets);
        timeout = timeout == null || timeout.isNegative() ? Duration.ZERO : timeout;
    }

    /** The same options without a time limit. */
    public EvaluatorOptions(
            List<Path> classpath, List<String> compilerOptions, List<String> startupSnippets, Path workingDirectory) {
        this(classpath, compilerOptions, startupSnippets, workingDirectory, Duration.ZERO);
    }

    public static EvaluatorOptions defaults() {
        return new EvaluatorOptions(List.of(), List.of(), List.of(), Path.of("").toAbsolutePath());
    }

    /** These options with {@code timeout} for each top-level statement (zero: none). */
    public EvaluatorOptions withTimeout(Duration timeout) {
        return new EvaluatorOptions(classpath, compilerOptions, startupSnippets, workingDirectory, timeout);
    }

    /** These options with relative paths resolving against {@code dir}. */
    public EvaluatorOptions withWorkingDirectory(Path dir) {
        return new EvaluatorOptions(classpath, compilerOptions, startupSnippets, dir, timeout);
    }
}
