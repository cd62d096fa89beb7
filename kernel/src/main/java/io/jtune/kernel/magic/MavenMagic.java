package io.jtune.kernel.magic;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code %maven GROUP:ARTIFACT[:EXTENSION[:CLASSIFIER]]:VERSION ...}: resolves the artifacts
 * with their runtime dependencies, adds the jars to the class path, prints
 * {@code Resolved g:a:v (N jars)} for each, and returns every resolved jar path as a
 * {@code List<String>}. Coordinates may also be separated by commas.
 */
public final class MavenMagic implements LineMagic {
    public static final String DESCRIPTION =
            "Resolve Maven artifacts with their dependencies and add the jars to the class path";
    public static final String USAGE = "%maven GROUP:ARTIFACT[:EXTENSION[:CLASSIFIER]]:VERSION ...";

    private final MavenResolverSource resolver;

    public MavenMagic(MavenResolverSource resolver) {
        this.resolver = resolver;
    }

    @Override
    public Object run(MagicArgs args, MagicContext context) throws MagicException {
        ClasspathEntries.pathsOnly(args);
        List<String> coordinates = new ArrayList<>();
        for (String word : args.positional()) {
            for (String c : word.split(",")) {
                if (!c.isBlank()) {
                    coordinates.add(c.strip());
                }
            }
        }
        if (coordinates.isEmpty()) {
            throw new MagicException("give at least one coordinate, for example"
                    + " %maven org.apache.commons:commons-lang3:3.14.0");
        }
        return addResolved(resolver.get().resolve(coordinates), new LinkedHashSet<>(), context);
    }

    /**
     * Prints {@code Resolved COORDINATE (N jars)} for each resolution, adds {@code jars} and the
     * resolved jars to the class path, and returns them all as a {@code List<String>}.
     */
    static List<String> addResolved(List<MavenResolution> resolutions, Set<Path> jars, MagicContext context) {
        for (MavenResolution r : resolutions) {
            int n = r.jars().size();
            context.out().println("Resolved " + r.coordinate() + " (" + n + (n == 1 ? " jar)" : " jars)"));
            jars.addAll(r.jars());
        }
        ClasspathEntries.addNew(context, new ArrayList<>(jars), false);
        return jars.stream().map(Path::toString).toList();
    }
}
