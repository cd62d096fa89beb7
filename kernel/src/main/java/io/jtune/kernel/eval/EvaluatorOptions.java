package io.jtune.kernel.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * How the notebook's JShell is set up.
 *
 * @param classpath extra class path entries (jars or folders) beyond the kernel's own
 * @param compilerOptions options for the cells' compiler, e.g. {@code --enable-preview}
 * @param startupSnippets Java code run once before the first cell (imports, helpers)
 * @param workingDirectory where relative paths in magics resolve
 */
public record EvaluatorOptions(
        List<Path> classpath, List<String> compilerOptions, List<String> startupSnippets, Path workingDirectory) {

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
            "import static io.jtune.kernel.display.Notebook.*;");

    public EvaluatorOptions {
        classpath = List.copyOf(classpath);
        compilerOptions = List.copyOf(compilerOptions);
        startupSnippets = List.copyOf(startupSnippets);
    }

    public static EvaluatorOptions defaults() {
        return new EvaluatorOptions(List.of(), List.of(), List.of(), Path.of("").toAbsolutePath());
    }
}
