package io.jtune.kernel.magic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code %mavenRepo ID URL}: adds a remote repository that {@code %maven} searches after the
 * ones it has (or replaces the one with that id). URL may be a local folder in Maven layout.
 * {@code %mavenRepo} alone lists the repositories as text.
 */
public final class MavenRepoMagic implements LineMagic {
    public static final String DESCRIPTION = "Add a Maven repository for %maven, or list them";
    public static final String USAGE = "%mavenRepo ID URL (for example %mavenRepo jitpack"
            + " https://jitpack.io), or %mavenRepo alone to list them";

    private final MavenResolverSource resolver;

    public MavenRepoMagic(MavenResolverSource resolver) {
        this.resolver = resolver;
    }

    @Override
    public Object run(MagicArgs args, MagicContext context) throws MagicException {
        ClasspathEntries.pathsOnly(args);
        List<String> words = args.positional();
        MavenResolver r = resolver.get();
        if (words.isEmpty()) {
            return listing(r);
        }
        if (words.size() != 2) {
            throw new MagicException("give an id and a URL, got " + words.size()
                    + (words.size() == 1 ? " word" : " words"));
        }
        MavenRepo repo;
        try {
            repo = new MavenRepo(words.get(0), url(context.workingDirectory(), words.get(1)));
        } catch (IllegalArgumentException e) {
            throw new MagicException(e.getMessage(), e);
        }
        r.addRepository(repo);
        context.out().println("Maven repository " + repo.id() + ": " + repo.url());
        return null;
    }

    private static String url(Path dir, String given) throws MagicException {
        if (given.matches("(?i)(https?|file):.*")) {
            return given;
        }
        if (given.matches("[A-Za-z][A-Za-z0-9+.-]+://.*")) {
            throw new MagicException("unsupported repository URL " + given
                    + " (use https://, http:// or file:)");
        }
        Path folder = dir.resolve(given).toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new MagicException(given + " is neither a URL nor a folder (looked for "
                    + folder + ")");
        }
        return folder.toUri().toString();
    }

    /** The repositories of {@code r} as text. */
    static String listing(MavenResolver r) {
        StringBuilder out = new StringBuilder("Maven repositories, in search order:");
        for (MavenRepo repo : r.repositories()) {
            out.append("\n  ").append(repo.id()).append("  ").append(repo.url());
        }
        out.append("\nLocal repository: ").append(r.localRepository());
        if (r.offline()) {
            out.append("\nOffline (settings.xml has <offline>true</offline>)");
        }
        return out.toString();
    }
}
