package io.jtune.kernel;

import io.jtune.kernel.eval.EvaluatorOptions;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Kernel settings from the environment (or the kernelspec's {@code env}), in the manner of JJava's
 * {@code JJAVA_*} variables:
 * <ul>
 *   <li>{@code JTUNE_CLASSPATH}: extra class path, entries separated by the platform separator;</li>
 *   <li>{@code JTUNE_COMPILER_OPTS}: options for the cells' compiler, space separated;</li>
 *   <li>{@code JTUNE_STARTUP_SCRIPTS_PATH}: .jshell/.jsh files run before the first cell;</li>
 *   <li>{@code JTUNE_STARTUP_SCRIPT}: Java code run before the first cell.</li>
 * </ul>
 */
public final class KernelOptions {
    private KernelOptions() {}

    public static EvaluatorOptions fromEnvironment() throws IOException {
        return from(System.getenv());
    }

    static EvaluatorOptions from(Map<String, String> env) throws IOException {
        List<Path> classpath = new ArrayList<>();
        for (String e : split(env.get("JTUNE_CLASSPATH"), File.pathSeparator)) {
            classpath.add(Path.of(e).toAbsolutePath());
        }
        List<String> compilerOptions = split(env.get("JTUNE_COMPILER_OPTS"), " ");
        List<String> startup = new ArrayList<>();
        for (String f : split(env.get("JTUNE_STARTUP_SCRIPTS_PATH"), File.pathSeparator)) {
            Path p = Path.of(f);
            if (!Files.isRegularFile(p)) {
                throw new IOException("JTUNE_STARTUP_SCRIPTS_PATH: " + p + " is not a file");
            }
            startup.add(Files.readString(p));
        }
        String script = env.get("JTUNE_STARTUP_SCRIPT");
        if (script != null && !script.isBlank()) {
            startup.add(script);
        }
        return new EvaluatorOptions(classpath, compilerOptions, startup, Path.of("").toAbsolutePath());
    }

    private static List<String> split(String value, String separator) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String s : value.split(java.util.regex.Pattern.quote(separator))) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }
}
