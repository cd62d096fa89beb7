package io.jtune.kernel.magic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.Exclusion;
import org.eclipse.aether.util.artifact.JavaScopes;

/**
 * {@code %loadFromPOM PATH [SCOPE...]} and {@code %%loadFromPOM [SCOPE...]} (IJava's magics): adds
 * the dependencies of a {@code pom.xml}, or of {@code <dependency>} and {@code <repository>}
 * elements pasted into the cell, to the class path. Repositories are added as {@code %mavenRepo}
 * adds them; versions come from the dependency, else from dependencyManagement (BOM imports and
 * the parent POM's included, when the parent is in a repository); {@code ${properties}} are
 * replaced. The scopes taken are compile, runtime and system unless others are named. Returns
 * every jar added or already present as a {@code List<String>}.
 */
public final class LoadFromPomMagic implements LineMagic, CellMagic {
    public static final String DESCRIPTION = "Add the dependencies of a pom.xml (or of pasted dependency elements)"
            + " to the class path";
    public static final String LINE_USAGE = "%loadFromPOM PATH [SCOPE...] (scopes default to compile runtime system)";
    public static final String CELL_USAGE = "%%loadFromPOM [SCOPE...] with a <project>, or <dependency> and"
            + " <repository> elements, below";
    static final List<String> DEFAULT_SCOPES = List.of("compile", "runtime", "system");
    private static final Set<String> SCOPES = Set.of("compile", "runtime", "provided", "test", "system");

    private final MavenResolverSource resolver;

    public LoadFromPomMagic(MavenResolverSource resolver) {
        this.resolver = resolver;
    }

    @Override
    public Object run(MagicArgs args, MagicContext context) throws MagicException {
        ClasspathEntries.pathsOnly(args);
        if (args.positional().isEmpty()) {
            throw new MagicException("give the path of a pom.xml, for example %loadFromPOM pom.xml");
        }
        List<String> scopes = scopes(args.positional().subList(1, args.positional().size()));
        Path pom = context.workingDirectory().resolve(args.positional().get(0)).normalize();
        String xml;
        try {
            xml = Files.readString(pom, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MagicException("cannot read " + pom + ": " + (Files.exists(pom) ? e.getMessage() : "no such file"), e);
        }
        return load(PomReader.read(xml, pom.toString(), 0), scopes, pom.getParent(), context);
    }

    @Override
    public Object run(MagicArgs args, String body, MagicContext context) throws MagicException {
        ClasspathEntries.pathsOnly(args);
        if (body.isBlank()) {
            throw new MagicException("put a <project>, or <dependency> and <repository> elements, below %%loadFromPOM");
        }
        return load(PomReader.read(body, "cell", 1), scopes(args.positional()), context.workingDirectory(), context);
    }

    private static List<String> scopes(List<String> given) throws MagicException {
        if (given.isEmpty()) {
            return DEFAULT_SCOPES;
        }
        List<String> out = new ArrayList<>();
        for (String s : given) {
            String scope = s.toLowerCase(Locale.ROOT);
            if (!SCOPES.contains(scope)) {
                throw new MagicException("unknown scope '" + s + "'; the scopes are compile, runtime, provided, test"
                        + " and system");
            }
            out.add(scope);
        }
        return out;
    }

    private Object load(PomReader.Pom pom, List<String> scopes, Path baseDir, MagicContext context)
            throws MagicException {
        MavenResolver maven = resolver.get();
        for (MavenRepo repo : pom.repositories()) {
            maven.addRepository(repo);
            context.out().println("Maven repository " + repo.id() + ": " + repo.url());
        }
        Map<String, String> managedVersions = new HashMap<>();
        List<Dependency> managed = new ArrayList<>();
        for (PomReader.PomDependency m : pom.managed()) {
            if (m.scope().equals("import") && m.type().equals("pom") && m.version() != null) {
                managed.addAll(maven.managedDependencies(m.groupId() + ":" + m.artifactId() + ":" + m.version()));
            } else if (m.version() != null) {
                managed.add(new Dependency(new DefaultArtifact(m.coordinate(m.version())), m.scope()));
            }
        }
        List<PomReader.PomDependency> selected =
                pom.dependencies().stream().filter(d -> scopes.contains(d.scope())).toList();
        boolean versionMissing = selected.stream().anyMatch(d -> d.version() == null);
        if (versionMissing && pom.parent() != null) {
            managed.addAll(maven.managedDependencies(pom.parent()));
        }
        for (Dependency d : managed) {
            managedVersions.putIfAbsent(d.getArtifact().getGroupId() + ":" + d.getArtifact().getArtifactId(),
                    d.getArtifact().getVersion());
        }
        List<Dependency> deps = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Set<Path> jars = new LinkedHashSet<>();
        for (PomReader.PomDependency d : selected) {
            if (d.scope().equals("system")) {
                jars.add(systemJar(d, baseDir));
                continue;
            }
            String version = d.version() != null ? d.version() : managedVersions.get(d.key());
            if (version == null) {
                throw new MagicException("the dependency " + d.key() + " has no <version>, and no dependencyManagement"
                        + (pom.parent() == null ? "" : " (nor the parent " + pom.parent() + "'s)") + " gives one");
            }
            List<Exclusion> exclusions = d.exclusions().stream()
                    .map(x -> x.split(":", 2))
                    .map(x -> new Exclusion(x[0], x.length > 1 ? x[1] : "*", "*", "*"))
                    .toList();
            String coordinate = d.coordinate(version);
            deps.add(new Dependency(new DefaultArtifact(coordinate), JavaScopes.COMPILE, false, exclusions));
            labels.add(coordinate);
        }
        if (deps.isEmpty() && jars.isEmpty()) {
            context.out().println("No dependencies with scope " + String.join(", ", scopes) + " found.");
            return List.of();
        }
        return MavenMagic.addResolved(maven.resolve(deps, managed, labels), jars, context);
    }

    private static Path systemJar(PomReader.PomDependency d, Path baseDir) throws MagicException {
        if (d.systemPath().isEmpty()) {
            throw new MagicException("the system dependency " + d.key() + " has no <systemPath>");
        }
        Path jar = baseDir.resolve(d.systemPath()).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new MagicException("the system dependency " + d.key() + ": " + jar + " does not exist");
        }
        return jar;
    }
}
