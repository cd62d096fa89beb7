package io.jtune.kernel.eval;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kernel settings from the environment (or the kernelspec's {@code env}), read as JJava reads its
 * {@code JJAVA_*} variables:
 * <ul>
 *   <li>{@code JTUNE_CLASSPATH}: extra class path, entries separated by the platform separator;</li>
 *   <li>{@code JTUNE_COMPILER_OPTS}: options for the cells' compiler, space separated;</li>
 *   <li>{@code JTUNE_STARTUP_SCRIPTS_PATH}: .jshell/.jsh files run before the first cell;</li>
 *   <li>{@code JTUNE_STARTUP_SCRIPT}: Java code run before the first cell;</li>
 *   <li>{@code JTUNE_TIMEOUT}: how long one top-level statement may run: milliseconds, or a number
 *       and a unit ({@code 30 SECONDS}, {@code 2 MINUTES}, {@code 500ms}, {@code 10s}); below 1, no
 *       limit (the default).</li>
 * </ul>
 * A kernelspec or environment written for JJava or IJava keeps working: when a {@code JTUNE_}
 * variable is not set, the same name with {@code JJAVA_}, then {@code IJAVA_}, is read instead.
 */
public final class KernelOptions {
    static final List<String> PREFIXES = List.of("JTUNE_", "JJAVA_", "IJAVA_");
    private static final Pattern DURATION = Pattern.compile("\\s*(-?\\d+)\\s*([A-Za-z]*)\\s*");

    private KernelOptions() {}

    public static EvaluatorOptions fromEnvironment() throws IOException {
        return from(System.getenv());
    }

    static EvaluatorOptions from(Map<String, String> env) throws IOException {
        List<Path> classpath = new ArrayList<>();
        for (String e : split(setting(env, "CLASSPATH"), File.pathSeparator)) {
            classpath.add(Path.of(e).toAbsolutePath());
        }
        List<String> compilerOptions = split(setting(env, "COMPILER_OPTS"), " ");
        List<String> startup = new ArrayList<>();
        for (String f : split(setting(env, "STARTUP_SCRIPTS_PATH"), File.pathSeparator)) {
            Path p = Path.of(f);
            if (!Files.isRegularFile(p)) {
                throw new IOException(name(env, "STARTUP_SCRIPTS_PATH") + ": " + p + " is not a file");
            }
            startup.add(Files.readString(p));
        }
        String script = setting(env, "STARTUP_SCRIPT");
        if (script != null && !script.isBlank()) {
            startup.add(script);
        }
        Duration timeout = timeout(name(env, "TIMEOUT"), setting(env, "TIMEOUT"));
        return new EvaluatorOptions(classpath, compilerOptions, startup, Path.of("").toAbsolutePath(), timeout);
    }

    /** The value of {@code JTUNE_<key>}, else {@code JJAVA_<key>}, else {@code IJAVA_<key>}; null if none is set. */
    static String setting(Map<String, String> env, String key) {
        String name = name(env, key);
        return env.get(name);
    }

    /** The variable that {@link #setting} reads for {@code key} (the JTUNE_ name when none is set). */
    private static String name(Map<String, String> env, String key) {
        for (String prefix : PREFIXES) {
            if (env.get(prefix + key) != null) {
                return prefix + key;
            }
        }
        return PREFIXES.get(0) + key;
    }

    /**
     * Parses a time limit: plain milliseconds ({@code 30000}), or a number and a unit, either a
     * {@link TimeUnit} name as JJava takes it ({@code 30 SECONDS}) or a short one ({@code ms},
     * {@code s}, {@code m}, {@code h}). Zero or negative means no limit.
     *
     * @throws IOException naming {@code variable} when the value is not a duration
     */
    static Duration timeout(String variable, String value) throws IOException {
        if (value == null || value.isBlank()) {
            return Duration.ZERO;
        }
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new IOException(variable + "=" + value + ": not a duration; write milliseconds (30000) or a number"
                    + " and a unit (30 SECONDS, 2 MINUTES, 500ms, 10s)");
        }
        long amount = Long.parseLong(m.group(1));
        if (amount < 1) {
            return Duration.ZERO;
        }
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        return switch (unit) {
            case "", "MS", "MILLIS", "MILLISECOND", "MILLISECONDS" -> Duration.ofMillis(amount);
            case "S", "SEC", "SECOND", "SECONDS" -> Duration.ofSeconds(amount);
            case "M", "MIN", "MINUTE", "MINUTES" -> Duration.ofMinutes(amount);
            case "H", "HOUR", "HOURS" -> Duration.ofHours(amount);
            case "D", "DAY", "DAYS" -> Duration.ofDays(amount);
            case "US", "MICROSECOND", "MICROSECONDS" -> Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(amount));
            case "NS", "NANOSECOND", "NANOSECONDS" -> Duration.ofNanos(amount);
            default -> throw new IOException(variable + "=" + value + ": unknown unit '" + m.group(2)
                    + "'; use MILLISECONDS, SECONDS, MINUTES or HOURS (or ms, s, m, h)");
        };
    }

    private static List<String> split(String value, String separator) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String s : value.split(Pattern.quote(separator))) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return out;
    }
}
