package io.jtune.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** What the benchmarks share: options, random prompts, timing, and the process's memory. */
final class BenchSupport {
    private BenchSupport() {}

    /** The value after {@code name} in {@code args}, or {@code dflt}. */
    static String option(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }

    /** {@code batch} rows of {@code length} seeded random ids in [3, vocab). */
    static int[][] prompts(int batch, int length, int vocab) {
        Random r = new Random(99);
        int[][] p = new int[batch][length];
        for (int[] row : p) {
            for (int i = 0; i < length; i++) {
                row[i] = 3 + r.nextInt(vocab - 3);
            }
        }
        return p;
    }

    /** Runs twice to warm up, then {@code repeats} times; the median in ms. */
    static double median(int repeats, Runnable work) {
        work.run();
        work.run();
        double[] t = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long s = System.nanoTime();
            work.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(t);
        return t[repeats / 2];
    }

    /** A field of /proc/self/status in kB, e.g. {@code VmRSS} or {@code VmHWM}. */
    static long kb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException(field + " not in /proc/self/status");
    }
}
