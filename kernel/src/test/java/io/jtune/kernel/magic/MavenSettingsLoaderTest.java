package io.jtune.kernel.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MavenSettingsLoaderTest {
    @TempDir
    Path dir;

    @Test
    void settings_xml_gives_local_repository_offline_mirrors_proxies_and_profile_repositories()
            throws IOException, MagicException {
        Path user = dir.resolve("settings.xml");
        Files.writeString(user, """
                <settings>
                  <localRepository>${user.home}/custom-repo</localRepository>
                  <offline>true</offline>
                  <mirrors>
                    <mirror><id>corp</id><url>https://corp.example/m2</url><mirrorOf>*</mirrorOf></mirror>
                  </mirrors>
                  <proxies>
                    <proxy><id>p</id><active>true</active><protocol>https</protocol>
                      <host>proxy.example</host><port>8080</port></proxy>
                  </proxies>
                  <profiles>
                    <profile><id>extra</id><repositories>
                      <repository><id>extra</id><url>https://extra.example/m2</url></repository>
                    </repositories></profile>
                    <profile><id>unused</id><repositories>
                      <repository><id>unused</id><url>https://unused.example/m2</url></repository>
                    </repositories></profile>
                    <profile><id>dflt</id><activation><activeByDefault>true</activeByDefault></activation>
                      <repositories>
                        <repository><id>dflt</id><url>https://dflt.example/m2</url></repository>
                      </repositories></profile>
                  </profiles>
                  <activeProfiles><activeProfile>extra</activeProfile></activeProfiles>
                </settings>
                """);
        Settings s = MavenSettingsLoader.load(user, dir.resolve("no-global.xml"));
        assertEquals(Path.of(System.getProperty("user.home"), "custom-repo").toAbsolutePath().normalize(),
                MavenSettingsLoader.localRepository(s));
        assertTrue(s.isOffline());
        assertEquals("corp", s.getMirrors().get(0).getId());
        assertEquals("proxy.example", s.getProxies().get(0).getHost());
        assertEquals(List.of(new MavenRepo("extra", "https://extra.example/m2"),
                new MavenRepo("dflt", "https://dflt.example/m2")),
                MavenSettingsLoader.profileRepositories(s));
    }

    @Test
    void user_settings_override_global_settings_and_add_to_their_lists() throws IOException, MagicException {
        Path global = dir.resolve("global.xml");
        Files.writeString(global, "<settings><localRepository>/global/repo</localRepository>"
                + "<mirrors><mirror><id>g</id><url>https://g.example/</url><mirrorOf>*</mirrorOf>"
                + "</mirror></mirrors></settings>");
        Path user = dir.resolve("user.xml");
        Files.writeString(user, "<settings><localRepository>/user/repo</localRepository></settings>");
        Settings s = MavenSettingsLoader.load(user, global);
        assertEquals(Path.of("/user/repo"), MavenSettingsLoader.localRepository(s));
        assertEquals("g", s.getMirrors().get(0).getId());
    }

    @Test
    void without_settings_files_the_defaults_apply() throws MagicException {
        Settings s = MavenSettingsLoader.load(dir.resolve("none.xml"), null);
        assertFalse(s.isOffline());
        assertEquals(Path.of(System.getProperty("user.home"), ".m2", "repository"),
                MavenSettingsLoader.localRepository(s));
        assertTrue(MavenSettingsLoader.profileRepositories(s).isEmpty());
    }

    @Test
    void a_broken_settings_file_is_reported_with_its_path() throws IOException {
        Path user = dir.resolve("settings.xml");
        Files.writeString(user, "<settings><mirrors><mirror>");
        MagicException e = assertThrows(MagicException.class,
                () -> MavenSettingsLoader.load(user, null));
        assertTrue(e.getMessage().startsWith("Cannot read Maven settings (" + user), e.getMessage());
    }
}
