package io.jtune.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.settings.Mirror;
import org.apache.maven.settings.Proxy;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.eclipse.aether.repository.RemoteRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MavenResolverTest {
    @TempDir
    Path dir;
    private TestMavenRepository remote;
    private Path local;
    private MavenResolver resolver;

    @BeforeEach
    void repository() throws IOException {
        remote = new TestMavenRepository(dir.resolve("remote"))
                .publish("com.example:a:1.0",
                        "com.example:b:1.0",
                        "com.example:d:1.0:runtime",
                        "com.example:testonly:1.0:test",
                        "com.example:provided:1.0:provided")
                .publish("com.example:b:1.0", "com.example:c:1.0", "com.example:opt:1.0:compile:true")
                .publish("com.example:c:1.0")
                .publish("com.example:d:1.0")
                .publish("com.example:broken:1.0", "com.example:missing:2.0");
        local = dir.resolve("local");
    }

    @AfterEach
    void close() {
        if (resolver != null) {
            resolver.close();
        }
    }

    private MavenResolver resolver(Settings settings, MavenRepo... repos) {
        resolver = new MavenResolver(local, List.of(repos), settings);
        return resolver;
    }

    private Path cached(String artifact) {
        return local.resolve("com/example/" + artifact + "/1.0/" + artifact + "-1.0.jar")
                .toAbsolutePath().normalize();
    }

    @Test
    void an_artifact_resolves_with_its_transitive_compile_and_runtime_dependencies()
            throws MagicException {
        List<MavenResolution> result = resolver(null, new MavenRepo("test", remote.url()))
                .resolve(List.of("com.example:a:1.0"));
        assertEquals(1, result.size());
        assertEquals("com.example:a:1.0", result.get(0).coordinate());
        assertEquals(List.of(cached("a"), cached("b"), cached("c"), cached("d")),
                result.get(0).jars());
        for (Path jar : result.get(0).jars()) {
            assertTrue(Files.isRegularFile(jar), jar.toString());
        }
    }

    @Test
    void test_provided_and_optional_dependencies_are_left_out() throws MagicException {
        List<Path> jars = resolver(null, new MavenRepo("test", remote.url()))
                .resolve(List.of("com.example:a:1.0")).get(0).jars();
        assertTrue(jars.stream().noneMatch(p -> p.toString().contains("testonly")), jars.toString());
        assertTrue(jars.stream().noneMatch(p -> p.toString().contains("provided")), jars.toString());
        assertTrue(jars.stream().noneMatch(p -> p.toString().contains("opt")), jars.toString());
    }

    @Test
    void several_coordinates_resolve_together_each_with_its_own_jars() throws MagicException {
        List<MavenResolution> result = resolver(null, new MavenRepo("test", remote.url()))
                .resolve(List.of("com.example:c:1.0", "com.example:b:1.0"));
        assertEquals(List.of(cached("c")), result.get(0).jars());
        assertEquals("com.example:b:1.0", result.get(1).coordinate());
        assertTrue(result.get(1).jars().contains(cached("b")), result.get(1).jars().toString());
    }

    @Test
    void a_missing_artifact_names_the_coordinate_and_the_repositories_tried() {
        MagicException e = assertThrows(MagicException.class,
                () -> resolver(null, new MavenRepo("test", remote.url()))
                        .resolve(List.of("com.example:nope:1.0")));
        String m = e.getMessage();
        assertTrue(m.startsWith("Cannot resolve com.example:nope:1.0: "), m);
        assertTrue(m.contains("com.example:nope:jar:1.0 was not found"), m);
        assertTrue(m.contains("Repositories tried: test (" + remote.url() + ")"), m);
    }

    @Test
    void a_missing_transitive_dependency_is_named() {
        MagicException e = assertThrows(MagicException.class,
                () -> resolver(null, new MavenRepo("test", remote.url()))
                        .resolve(List.of("com.example:broken:1.0")));
        assertTrue(e.getMessage().contains("com.example:missing:jar:2.0 was not found"), e.getMessage());
    }

    @Test
    void a_malformed_coordinate_shows_the_expected_form() {
        MagicException e = assertThrows(MagicException.class,
                () -> resolver(null).resolve(List.of("just-a-name")));
        assertTrue(e.getMessage().startsWith("'just-a-name' is not a Maven coordinate"), e.getMessage());
        assertTrue(e.getMessage().contains("GROUP:ARTIFACT[:EXTENSION[:CLASSIFIER]]:VERSION"));
    }

    @Test
    void a_mirror_of_everything_replaces_the_configured_repositories() throws MagicException {
        Settings settings = new Settings();
        settings.addMirror(mirror("inhouse", remote.url(), "*"));
        MavenResolver r = resolver(settings, MavenResolver.CENTRAL);
        List<RemoteRepository> effective = r.effectiveRepositories();
        assertEquals(1, effective.size());
        assertEquals("inhouse", effective.get(0).getId());
        assertEquals(List.of(cached("c")), r.resolve(List.of("com.example:c:1.0")).get(0).jars());
    }

    @Test
    void mirror_patterns_central_and_external_pick_the_right_repositories() {
        Settings settings = new Settings();
        settings.addMirror(mirror("corp", "https://corp.example/maven", "external:*"));
        List<RemoteRepository> effective = resolver(settings, MavenResolver.CENTRAL,
                new MavenRepo("test", remote.url())).effectiveRepositories();
        assertEquals(List.of("corp", "test"), effective.stream().map(RemoteRepository::getId).toList());

        Settings onlyCentral = new Settings();
        onlyCentral.addMirror(mirror("cm", "https://cm.example/maven", "central"));
        resolver.close();
        List<RemoteRepository> second = resolver(onlyCentral, MavenResolver.CENTRAL,
                new MavenRepo("other", "https://other.example/maven")).effectiveRepositories();
        assertEquals(List.of("cm", "other"), second.stream().map(RemoteRepository::getId).toList());
    }

    @Test
    void active_proxies_and_server_credentials_are_attached() {
        Settings settings = new Settings();
        Proxy proxy = new Proxy();
        proxy.setId("corp");
        proxy.setProtocol("http");
        proxy.setHost("proxy.example");
        proxy.setPort(3128);
        proxy.setUsername("me");
        proxy.setPassword("secret");
        proxy.setNonProxyHosts("*.internal|localhost");
        settings.addProxy(proxy);
        Server server = new Server();
        server.setId("central");
        server.setUsername("user");
        server.setPassword("pw");
        settings.addServer(server);
        List<RemoteRepository> effective = resolver(settings, MavenResolver.CENTRAL,
                new MavenRepo("inside", "https://repo.internal/maven")).effectiveRepositories();
        RemoteRepository central = effective.get(0);
        assertNotNull(central.getProxy());
        assertEquals("proxy.example", central.getProxy().getHost());
        assertEquals(3128, central.getProxy().getPort());
        assertNotNull(central.getProxy().getAuthentication());
        assertNotNull(central.getAuthentication());
        assertNull(effective.get(1).getProxy());
        assertNull(effective.get(1).getAuthentication());
    }

    @Test
    void offline_settings_stop_resolution_without_touching_the_network() {
        Settings settings = new Settings();
        settings.setOffline(true);
        MavenResolver r = resolver(settings, MavenResolver.CENTRAL);
        assertTrue(r.offline());
        MagicException e = assertThrows(MagicException.class,
                () -> r.resolve(List.of("org.example:anything:1.0")));
        assertTrue(e.getMessage().contains("offline"), e.getMessage());
        assertTrue(e.getMessage().contains("central (https://repo.maven.apache.org/maven2/)"),
                e.getMessage());
    }

    @Test
    void adding_a_repository_with_a_known_id_replaces_it_in_place() {
        MavenResolver r = resolver(null, MavenResolver.CENTRAL, new MavenRepo("x", "https://x/1"));
        r.addRepository(new MavenRepo("central", "https://mirror.example/"));
        r.addRepository(new MavenRepo("y", "https://y/"));
        assertEquals(List.of(new MavenRepo("central", "https://mirror.example/"),
                new MavenRepo("x", "https://x/1"), new MavenRepo("y", "https://y/")),
                r.repositories());
    }

    private static Mirror mirror(String id, String url, String mirrorOf) {
        Mirror m = new Mirror();
        m.setId(id);
        m.setUrl(url);
        m.setMirrorOf(mirrorOf);
        return m;
    }
}
