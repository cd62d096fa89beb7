package io.jtune.kernel.log;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The kernel's own log, on the process's original standard error (the front end shows it in its
 * console, never in a cell). User output goes through the evaluator's streams instead.
 * {@code JTUNE_LOG=debug} shows debug lines.
 */
public final class Log {
    private static final PrintStream ERR = System.err;
    private static final boolean DEBUG = "debug".equalsIgnoreCase(System.getenv("JTUNE_LOG"));
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private Log() {}

    public static void info(String message) {
        write("INFO", message, null);
    }

    public static void warn(String message) {
        write("WARN", message, null);
    }

    public static void warn(String message, Throwable t) {
        write("WARN", message, t);
    }

    public static void debug(String message) {
        if (DEBUG) {
            write("DEBUG", message, null);
        }
    }

    public static boolean debugEnabled() {
        return DEBUG;
    }

    private static synchronized void write(String level, String message, Throwable t) {
        ERR.println("[jtune " + LocalTime.now().format(TIME) + " " + level + "] " + message);
        if (t != null) {
            t.printStackTrace(ERR);
        }
        ERR.flush();
    }
}
