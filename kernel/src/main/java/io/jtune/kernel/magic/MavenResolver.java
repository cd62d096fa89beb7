package io.jtune.kernel.magic;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.apache.maven.settings.Settings;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyNode;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactDescriptorException;
import org.eclipse.aether.resolution.ArtifactDescriptorRequest;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Resolves Maven coordinates with their runtime dependencies, as Maven would, with Maven
 * Resolver: a local repository, remote repositories, and settings.xml's mirrors, proxies, server
 * credentials and offline switch. Thread-safe; {@link #close()} releases the resolver.
 */
public final class MavenResolver implements AutoCloseable {
    /** Maven Central. */
    public static final MavenRepo CENTRAL =
            new MavenRepo("central", "https://repo.maven.apache.org/maven2/");

    private final Path localRepository;
    private final Settings settings;
    private final List<MavenRepo> repositories = new ArrayList<>();
    private RepositorySystem system;

    /**
     * @param localRepository where artifacts are cached (created when missing)
     * @param repositories the remote repositories, in the order they are searched
     * @param settings mirrors, proxies, servers and offline switch; null for none
     */
    public MavenResolver(Path localRepository, List<MavenRepo> repositories, Settings settings) {
        this.localRepository = localRepository.toAbsolutePath().normalize();
        this.settings = settings == null ? new Settings() : settings;
        repositories.forEach(this::addRepository);
    }

    /**
     * A resolver set up like Maven for this user: settings.xml read, local repository from it
     * (else {@code ~/.m2/repository}), Maven Central then the active profiles' repositories.
     */
    public static MavenResolver fromUserSettings() throws MagicException {
        Settings settings = MavenSettingsLoader.loadDefault();
        List<MavenRepo> repos = new ArrayList<>();
        repos.add(CENTRAL);
        repos.addAll(MavenSettingsLoader.profileRepositories(settings));
        return new MavenResolver(MavenSettingsLoader.localRepository(settings), repos, settings);
    }

    /** Where artifacts are cached. */
    public Path localRepository() {
        return localRepository;
    }

    /** Whether settings.xml says {@code <offline>true</offline>}. */
    public boolean offline() {
        return settings.isOffline();
    }

    /** The remote repositories as configured (before mirrors), in search order. */
    public synchronized List<MavenRepo> repositories() {
        return List.copyOf(repositories);
    }

    /** Adds {@code repo} at the end, or replaces the repository with the same id in place. */
    public synchronized MavenResolver addRepository(MavenRepo repo) {
        for (int i = 0; i < repositories.size(); i++) {
            if (repositories.get(i).id().equals(repo.id())) {
                repositories.set(i, repo);
                return this;
            }
        }
        repositories.add(repo);
        return this;
    }

    /** The repositories actually contacted: mirrors applied, proxies and credentials attached. */
    public List<RemoteRepository> effectiveRepositories() {
        RepositorySystem sys = system();
        return sys.newResolutionRepositories(session(sys), remotes());
    }

    /**
     * Resolves {@code coordinates} ({@code GROUP:ARTIFACT[:EXTENSION[:CLASSIFIER]]:VERSION})
     * together, so versions are mediated across them, with their compile and runtime
     * dependencies.
     *
     * @return one entry per coordinate, with the jars of its part of the dependency tree
     * @throws MagicException when a coordinate is malformed or an artifact cannot be resolved,
     *     naming it and the repositories tried
     */
    public List<MavenResolution> resolve(List<String> coordinates) throws MagicException {
        List<Dependency> deps = new ArrayList<>();
        for (String c : coordinates) {
            deps.add(new Dependency(artifact(c), JavaScopes.COMPILE));
        }
        return resolve(deps, List.of(), coordinates);
    }

    /**
     * Resolves {@code dependencies} together, with {@code managed} versions applied to them and to
     * their transitive dependencies (as a POM's dependencyManagement does), following each one's
     * compile and runtime dependencies and honouring its exclusions.
     *
     * @param labels how each dependency is named in the results and in messages, in order
     */
    public List<MavenResolution> resolve(List<Dependency> dependencies, List<Dependency> managed, List<String> labels)
            throws MagicException {
        if (dependencies.isEmpty()) {
            return List.of();
        }
        CollectRequest collect = new CollectRequest();
        dependencies.forEach(collect::addDependency);
        collect.setManagedDependencies(managed);
        RepositorySystem sys = system();
        DefaultRepositorySystemSession session = session(sys);
        List<RemoteRepository> repos = sys.newResolutionRepositories(session, remotes());
        collect.setRepositories(repos);
        DependencyRequest request =
                new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        DependencyResult result;
        try {
            result = sys.resolveDependencies(session, request);
        } catch (DependencyResolutionException e) {
            throw failure(labels, repos, e);
        } catch (RuntimeException e) {
            throw new MagicException("Cannot resolve " + String.join(", ", labels) + ": " + e, e);
        }
        List<DependencyNode> roots = result.getRoot().getChildren();
        List<MavenResolution> out = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            Set<Path> jars = new LinkedHashSet<>();
            if (i < roots.size()) {
                collectJars(roots.get(i), jars);
            }
            out.add(new MavenResolution(labels.get(i), new ArrayList<>(jars)));
        }
        return out;
    }

    /**
     * The dependencyManagement of the POM {@code group:artifact:version} (a BOM, or a parent),
     * read from the repositories with its own parents and imports applied.
     *
     * @throws MagicException when the POM cannot be found or read
     */
    public List<Dependency> managedDependencies(String coordinate) throws MagicException {
        String[] p = coordinate.split(":");
        if (p.length != 3) {
            throw new MagicException("'" + coordinate + "' is not GROUP:ARTIFACT:VERSION");
        }
        RepositorySystem sys = system();
        DefaultRepositorySystemSession session = session(sys);
        List<RemoteRepository> repos = sys.newResolutionRepositories(session, remotes());
        ArtifactDescriptorRequest request =
                new ArtifactDescriptorRequest(new DefaultArtifact(p[0], p[1], "pom", p[2]), repos, null);
        try {
            return sys.readArtifactDescriptor(session, request).getManagedDependencies();
        } catch (ArtifactDescriptorException e) {
            throw new MagicException("Cannot read the POM " + coordinate + ": " + rootMessage(e), e);
        }
    }

    private static Artifact artifact(String coordinate) throws MagicException {
        try {
            return new DefaultArtifact(coordinate.strip());
        } catch (IllegalArgumentException e) {
            throw new MagicException("'" + coordinate + "' is not a Maven coordinate; write"
                    + " GROUP:ARTIFACT[:EXTENSION[:CLASSIFIER]]:VERSION, for example"
                    + " com.google.guava:guava:33.0.0-jre", e);
        }
    }

    private static void collectJars(DependencyNode node, Set<Path> jars) {
        Artifact a = node.getArtifact();
        File f = a == null ? null : a.getFile();
        if (f != null) {
            String name = f.getName().toLowerCase(Locale.ROOT);
            if (name.endsWith(".jar") || name.endsWith(".zip")) {
                jars.add(f.toPath().toAbsolutePath().normalize());
            }
        }
        for (DependencyNode child : node.getChildren()) {
            collectJars(child, jars);
        }
    }

    private MagicException failure(List<String> coordinates, List<RemoteRepository> repos,
            DependencyResolutionException e) {
        List<String> problems = new ArrayList<>();
        DependencyResult partial = e.getResult();
        if (partial != null) {
            for (ArtifactResult r : partial.getArtifactResults()) {
                if (!r.isResolved() && !r.getExceptions().isEmpty()) {
                    Exception first = r.getExceptions().get(0);
                    boolean notFound = r.getExceptions().stream()
                            .allMatch(x -> x instanceof ArtifactNotFoundException);
                    problems.add(notFound ? r.getRequest().getArtifact() + " was not found"
                            : first.getMessage());
                }
            }
            if (problems.isEmpty()) {
                partial.getCollectExceptions().forEach(x -> problems.add(rootMessage(x)));
            }
        }
        if (problems.isEmpty()) {
            problems.add(rootMessage(e));
        }
        String tried = repos.stream().map(r -> r.getId() + " (" + r.getUrl() + ")")
                .collect(Collectors.joining(", "));
        return new MagicException("Cannot resolve " + String.join(", ", coordinates) + ": "
                + String.join("; ", problems) + ". Repositories tried: "
                + (tried.isEmpty() ? "none" : tried) + ", local " + localRepository
                + (offline() ? ". Maven is offline (settings.xml has <offline>true</offline>)" : ""),
                e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    private synchronized List<RemoteRepository> remotes() {
        List<RemoteRepository> out = new ArrayList<>();
        for (MavenRepo r : repositories) {
            out.add(new RemoteRepository.Builder(r.id(), "default", r.url()).build());
        }
        return out;
    }

    private synchronized RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }

    private DefaultRepositorySystemSession session(RepositorySystem sys) {
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setSystemProperties(System.getProperties());
        session.setOffline(settings.isOffline());
        session.setMirrorSelector(MavenSettingsSelectors.mirrors(settings));
        session.setProxySelector(MavenSettingsSelectors.proxies(settings));
        session.setAuthenticationSelector(MavenSettingsSelectors.authentication(settings));
        session.setLocalRepositoryManager(
                sys.newLocalRepositoryManager(session, new LocalRepository(localRepository.toFile())));
        return session;
    }

    /** Shuts the underlying repository system down; a later call starts a new one. */
    @Override
    public synchronized void close() {
        if (system != null) {
            system.shutdown();
            system = null;
        }
    }
}
