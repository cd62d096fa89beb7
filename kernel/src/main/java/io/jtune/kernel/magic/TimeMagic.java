package io.jtune.kernel.magic;

import java.util.Locale;

/**
 * {@code %time CODE} and {@code %%time}: evaluates the code (the rest of the line, or the cell's
 * body), prints {@code Wall time: 12.3 ms} and returns the code's value.
 */
public final class TimeMagic implements LineMagic, CellMagic {
    public static final String DESCRIPTION = "Run code and print how long it took (wall clock)";
    public static final String LINE_USAGE = "%time CODE";
    public static final String CELL_USAGE = "%%time on a cell's first line, the code below it";

    @Override
    public Object run(MagicArgs args, MagicContext context) throws Exception {
        if (args.isEmpty()) {
            throw new MagicException("give the code to time, for example %time fib(30)");
        }
        return time(args.raw(), context);
    }

    @Override
    public Object run(MagicArgs args, String body, MagicContext context) throws Exception {
        if (!args.isEmpty()) {
            throw new MagicException("%%time takes no arguments on its line (got '" + args.raw()
                    + "'); the code goes on the lines below");
        }
        if (body.isBlank()) {
            throw new MagicException("the cell has no code to time");
        }
        return time(body, context);
    }

    private static Object time(String code, MagicContext context) throws Exception {
        long start = System.nanoTime();
        Object result = context.eval(code);
        long elapsed = System.nanoTime() - start;
        context.out().println("Wall time: " + format(elapsed));
        return result;
    }

    /**
     * {@code nanos} with a unit that keeps about three significant digits: {@code 850 µs},
     * {@code 12.3 ms}, {@code 4.56 s}, {@code 2 min 3.4 s}.
     */
    public static String format(long nanos) {
        double n = Math.max(0, nanos);
        if (n < 1_000) {
            return (long) n + " ns";
        }
        if (n < 999_500) {
            return digits(n / 1e3) + " µs";
        }
        if (n < 999_500_000) {
            return digits(n / 1e6) + " ms";
        }
        double seconds = n / 1e9;
        if (seconds < 59.95) {
            return digits(seconds) + " s";
        }
        long tenths = Math.round(seconds * 10);
        return tenths / 600 + " min "
                + String.format(Locale.ROOT, "%.1f", (tenths % 600) / 10.0) + " s";
    }

    private static String digits(double v) {
        String pattern = v < 9.995 ? "%.2f" : v < 99.95 ? "%.1f" : "%.0f";
        return String.format(Locale.ROOT, pattern, v);
    }
}
