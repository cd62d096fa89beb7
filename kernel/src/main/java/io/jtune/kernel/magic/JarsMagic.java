package io.jtune.kernel.magic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code %jars GLOB...}: adds jars only; a folder (or a glob matching one) adds every jar
 * directly in it. Returns the added paths as a {@code List<String>}.
 */
public final class JarsMagic implements LineMagic {
    public static final String DESCRIPTION = "Add jars (files, folders of jars or globs) to the class path";
    public static final String USAGE = "%jars JAR_OR_GLOB... (for example %jars lib/*.jar libs)";

    @Override
    public Object run(MagicArgs args, MagicContext context) throws MagicException {
        ClasspathEntries.pathsOnly(args);
        if (args.positional().isEmpty()) {
            throw new MagicException("give at least one jar, folder of jars or glob");
        }
        List<Path> entries = new ArrayList<>();
        for (String p : args.positional()) {
            entries.addAll(ClasspathEntries.expand(context.workingDirectory(), p, true));
        }
        return ClasspathEntries.addNew(context, entries, true);
    }
}
