package io.jtune.kernel.magic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Turns the paths and globs given to {@code %classpath} and {@code %jars} into entries. */
final class ClasspathEntries {
    private ClasspathEntries() {}

    /**
     * The entries one argument stands for. A jar is itself; a folder is each jar directly in it,
     * or (unless {@code jarsOnly}) the folder itself as a class folder when it holds no jar. A
     * glob ({@code * ? [ {} in it, {@code **} crossing folders) stands for what it matches, files
     * that are not jars left out.
     *
     * @throws MagicException when the path does not exist, the glob matches nothing usable, or
     *     an explicit path is not usable
     */
    static List<Path> expand(Path workingDirectory, String arg, boolean jarsOnly)
            throws MagicException {
        String spec = expandHome(arg);
        if (!isGlob(spec)) {
            Path p = workingDirectory.resolve(spec).toAbsolutePath().normalize();
            if (!Files.exists(p)) {
                throw new MagicException("No such file or folder: " + arg + " (looked for " + p + ")");
            }
            List<Path> entries = entriesOf(p, jarsOnly);
            if (entries.isEmpty()) {
                throw new MagicException(Files.isDirectory(p) ? "No jars in folder " + arg + " (" + p + ")"
                        : arg + " is not a jar" + (jarsOnly ? "" : " nor a folder") + " (" + p + ")");
            }
            return entries;
        }
        List<Path> out = new ArrayList<>();
        for (Path match : glob(workingDirectory, spec, arg)) {
            out.addAll(entriesOf(match, jarsOnly));
        }
        if (out.isEmpty()) {
            throw new MagicException("Nothing usable matches " + arg + ": no jars"
                    + (jarsOnly ? "" : " or folders") + " (looked in " + workingDirectory + ")");
        }
        return out;
    }

    private static List<Path> entriesOf(Path p, boolean jarsOnly) throws MagicException {
        if (Files.isDirectory(p)) {
            List<Path> jars = jarsIn(p);
            return jars.isEmpty() && !jarsOnly ? List.of(p) : jars;
        }
        return isArchive(p, jarsOnly) ? List.of(p) : List.of();
    }

    /** Whether {@code p} is a jar file (or, when {@code !jarsOnly}, a zip). */
    static boolean isArchive(Path p, boolean jarsOnly) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (name.endsWith(".jar") || !jarsOnly && name.endsWith(".zip"));
    }

    /** The jars directly inside {@code dir}, sorted by name. */
    static List<Path> jarsIn(Path dir) throws MagicException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> isArchive(f, true)).sorted().toList();
        } catch (IOException e) {
            throw new MagicException("Cannot list folder " + dir + ": " + e.getMessage(), e);
        }
    }

    private static boolean isGlob(String s) {
        return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static String expandHome(String s) {
        if (s.equals("~") || s.startsWith("~/")) {
            return System.getProperty("user.home") + s.substring(1);
        }
        return s;
    }

    /** The files and folders matching glob {@code spec}, sorted. */
    private static List<Path> glob(Path workingDirectory, String spec, String arg)
            throws MagicException {
        String normalized = spec.replace('\\', '/');
        String[] parts = normalized.split("/", -1);
        int first = 0;
        while (first < parts.length && !isGlob(parts[first])) {
            first++;
        }
        String basePart = String.join("/", Arrays.copyOfRange(parts, 0, first));
        if (basePart.isEmpty() && normalized.startsWith("/")) {
            basePart = "/";
        }
        Path base = workingDirectory.resolve(basePart).toAbsolutePath().normalize();
        String pattern = String.join("/", Arrays.copyOfRange(parts, first, parts.length));
        if (!Files.isDirectory(base)) {
            throw new MagicException("Nothing matches " + arg + ": no folder " + base);
        }
        int depth = pattern.contains("**") ? Integer.MAX_VALUE : parts.length - first;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        Set<Path> matches = new LinkedHashSet<>();
        try (Stream<Path> walk = Files.walk(base, depth)) {
            walk.filter(p -> !p.equals(base))
                    .filter(p -> matcher.matches(Path.of(base.relativize(p).toString()
                            .replace('\\', '/'))))
                    .sorted()
                    .forEach(matches::add);
        } catch (IOException | UncheckedIOException e) {
            throw new MagicException("Cannot search " + base + " for " + arg + ": " + e.getMessage(), e);
        }
        if (matches.isEmpty()) {
            throw new MagicException("Nothing matches " + arg + " (looked in " + base + ")");
        }
        return new ArrayList<>(matches);
    }

    /**
     * Adds the entries the class path does not have yet and returns the added ones as strings;
     * with {@code noteSkipped} it prints a note for each entry that was already there.
     */
    static List<String> addNew(MagicContext context, List<Path> entries, boolean noteSkipped) {
        Set<Path> present = new LinkedHashSet<>();
        for (Path p : context.classpath()) {
            present.add(p.toAbsolutePath().normalize());
        }
        List<Path> added = new ArrayList<>();
        for (Path p : entries) {
            Path n = p.toAbsolutePath().normalize();
            if (present.add(n)) {
                added.add(n);
            } else if (noteSkipped && !added.contains(n)) {
                context.out().println("Already on the class path: " + n);
            }
        }
        if (!added.isEmpty()) {
            context.addToClasspath(List.copyOf(added));
        }
        return added.stream().map(Path::toString).toList();
    }

    /** Refuses options and flags, which these magics do not take. */
    static void pathsOnly(MagicArgs args) throws MagicException {
        if (!args.flags().isEmpty()) {
            throw new MagicException("unexpected flag --" + args.flags().iterator().next());
        }
        if (!args.options().isEmpty()) {
            var e = args.options().entrySet().iterator().next();
            throw new MagicException("unexpected option " + e.getKey() + "=" + e.getValue()
                    + " (quote a path that contains '=')");
        }
    }
}
