package io.jtune.kernel.magic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code %classpath add PATH...} (or {@code %classpath PATH...}): adds jars, folders of jars,
 * class folders and globs, relative to the working directory; returns the added paths as a
 * {@code List<String>}. {@code %classpath} alone returns the current class path as text, one
 * entry a line.
 */
public final class ClasspathMagic implements LineMagic {
    public static final String DESCRIPTION =
            "Add jars, folders of jars, class folders or globs to the class path, or list it";
    public static final String USAGE = "%classpath [add] PATH... (for example lib/*.jar), or"
            + " %classpath alone to list it";

    @Override
    public Object run(MagicArgs args, MagicContext context) throws MagicException {
        ClasspathEntries.pathsOnly(args);
        List<String> paths = new ArrayList<>(args.positional());
        if (paths.isEmpty()) {
            return listing(context.classpath());
        }
        if (paths.get(0).equals("add")) {
            paths.remove(0);
            if (paths.isEmpty()) {
                throw new MagicException("nothing to add: give one or more paths after 'add'");
            }
        }
        List<Path> entries = new ArrayList<>();
        for (String p : paths) {
            entries.addAll(ClasspathEntries.expand(context.workingDirectory(), p, false));
        }
        return ClasspathEntries.addNew(context, entries, true);
    }

    /** The class path as text, one entry a line. */
    static String listing(List<Path> classpath) {
        if (classpath.isEmpty()) {
            return "The class path has no added entries yet (%classpath add PATH... adds some).";
        }
        StringBuilder out = new StringBuilder("Class path (" + classpath.size()
                + (classpath.size() == 1 ? " entry" : " entries") + "):");
        for (Path p : classpath) {
            out.append("\n  ").append(p);
        }
        return out.toString();
    }
}
