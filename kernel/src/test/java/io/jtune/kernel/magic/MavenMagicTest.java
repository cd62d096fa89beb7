package io.jtune.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MavenMagicTest {
    @TempDir
    Path dir;
    private MavenResolver resolver;
    private MagicRegistry reg;
    private RecordingContext ctx;

    @BeforeEach
    void setUp() throws IOException {
        new TestMavenRepository(dir.resolve("repo"))
                .publish("org.demo:app:2.0", "org.demo:lib:1.1")
                .publish("org.demo:lib:1.1");
        resolver = new MavenResolver(dir.resolve("local"), List.of(), null);
        MavenResolverSource source = MavenResolverSource.of(resolver);
        reg = new MagicRegistry()
                .registerLine("maven", MavenMagic.DESCRIPTION, MavenMagic.USAGE, new MavenMagic(source))
                .alias("addMavenDependency", "maven")
                .registerLine("mavenRepo", MavenRepoMagic.DESCRIPTION, MavenRepoMagic.USAGE,
                        new MavenRepoMagic(source))
                .alias("addMavenRepo", "mavenRepo");
        ctx = new RecordingContext(reg, dir);
    }

    @AfterEach
    void close() {
        resolver.close();
    }

    private String jar(String artifact, String version) {
        return dir.resolve("local/org/demo/" + artifact + "/" + version + "/" + artifact + "-"
                + version + ".jar").toAbsolutePath().normalize().toString();
    }

    @Test
    void maven_repo_then_maven_adds_the_artifact_and_its_dependency_to_the_class_path()
            throws MagicException {
        assertNull(MagicInvoker.runLine(reg, "addMavenRepo", "demo repo", ctx));
        Object result = MagicInvoker.runLine(reg, "addMavenDependency", "org.demo:app:2.0", ctx);
        List<String> expected = List.of(jar("app", "2.0"), jar("lib", "1.1"));
        assertEquals(expected, result);
        assertEquals(expected, ctx.classpath.stream().map(Path::toString).toList());
        assertTrue(ctx.printed().contains("Maven repository demo: " + dir.resolve("repo").toUri()),
                ctx.printed());
        assertTrue(ctx.printed().contains("Resolved org.demo:app:2.0 (2 jars)\n"), ctx.printed());
    }

    @Test
    void resolving_again_adds_nothing_twice_but_still_returns_the_jars() throws MagicException {
        resolver.addRepository(new MavenRepo("demo", dir.resolve("repo").toUri().toString()));
        MagicInvoker.runLine(reg, "maven", "org.demo:lib:1.1", ctx);
        Object again = MagicInvoker.runLine(reg, "maven", "org.demo:app:2.0,org.demo:lib:1.1", ctx);
        assertEquals(List.of(jar("app", "2.0"), jar("lib", "1.1")), again);
        assertEquals(2, ctx.classpath.size());
        assertTrue(ctx.printed().contains("Resolved org.demo:lib:1.1 (1 jar)\n"), ctx.printed());
    }

    @Test
    void a_missing_artifact_fails_with_the_coordinate_repositories_and_usage() {
        resolver.addRepository(new MavenRepo("demo", dir.resolve("repo").toUri().toString()));
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "maven", "org.demo:ghost:9.9", ctx));
        String m = e.getMessage();
        assertTrue(m.startsWith("Failed to run %maven: Cannot resolve org.demo:ghost:9.9: "), m);
        assertTrue(m.contains("demo (" + dir.resolve("repo").toUri() + ")"), m);
        assertTrue(m.endsWith("\nUsage: " + MavenMagic.USAGE), m);
        assertTrue(ctx.classpath.isEmpty());
    }

    @Test
    void maven_repo_alone_lists_the_repositories() throws MagicException {
        resolver.addRepository(new MavenRepo("demo", "https://demo.example/m2"));
        String text = (String) MagicInvoker.runLine(reg, "mavenRepo", "", ctx);
        assertTrue(text.contains("\n  demo  https://demo.example/m2"), text);
        assertTrue(text.contains("Local repository: " + dir.resolve("local").toAbsolutePath()), text);
    }

    @Test
    void maven_repo_checks_its_arguments() {
        assertThrows(MagicException.class, () -> MagicInvoker.runLine(reg, "mavenRepo", "only-id", ctx));
        MagicException folder = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "mavenRepo", "x no/such/folder", ctx));
        assertTrue(folder.getMessage().contains("neither a URL nor a folder"), folder.getMessage());
        assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "mavenRepo", "x ftp://old.example/", ctx));
    }

    @Test
    void maven_needs_a_coordinate() {
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "maven", "", ctx));
        assertTrue(e.getMessage().contains("give at least one coordinate"), e.getMessage());
    }

    @Test
    void an_unreachable_repository_fails_with_its_address() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        String url = "http://127.0.0.1:" + port + "/m2/";
        MagicInvoker.runLine(reg, "mavenRepo", "nowhere " + url, ctx);
        MagicException e = assertThrows(MagicException.class,
                () -> MagicInvoker.runLine(reg, "maven", "org.demo:app:2.0", ctx));
        assertTrue(e.getMessage().startsWith("Failed to run %maven: Cannot resolve org.demo:app:2.0: "), e.getMessage());
        assertTrue(e.getMessage().contains("nowhere (" + url + ")"), e.getMessage());
        assertTrue(ctx.classpath.isEmpty());
    }
}
