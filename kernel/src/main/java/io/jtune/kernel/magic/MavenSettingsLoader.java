package io.jtune.kernel.magic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.maven.settings.Profile;
import org.apache.maven.settings.Repository;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.DefaultSettingsBuilderFactory;
import org.apache.maven.settings.building.DefaultSettingsBuildingRequest;
import org.apache.maven.settings.building.SettingsBuildingException;
import org.apache.maven.settings.crypto.DefaultSettingsDecrypter;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;
import org.sonatype.plexus.components.sec.dispatcher.DefaultSecDispatcher;

/**
 * Reads Maven's settings.xml the way Maven does: the user file ({@code ~/.m2/settings.xml})
 * over the global one ({@code $MAVEN_HOME/conf/settings.xml}), {@code ${...}} expressions
 * expanded, and {@code {...}}-encrypted passwords decrypted with
 * {@code ~/.m2/settings-security.xml} when there is one.
 */
public final class MavenSettingsLoader {
    private MavenSettingsLoader() {}

    /** {@code ~/.m2/settings.xml}. */
    public static Path userSettingsFile() {
        return m2().resolve("settings.xml");
    }

    /** {@code conf/settings.xml} of the Maven installation, or null when none is known. */
    public static Path globalSettingsFile() {
        String home = System.getProperty("maven.home");
        if (home == null) {
            home = System.getenv("MAVEN_HOME");
        }
        if (home == null) {
            home = System.getenv("M2_HOME");
        }
        return home == null ? null : Path.of(home, "conf", "settings.xml");
    }

    /** The user's and the installation's settings merged; empty settings when neither exists. */
    public static Settings loadDefault() throws MagicException {
        return load(userSettingsFile(), globalSettingsFile());
    }

    /**
     * Merges {@code user} over {@code global}; either may be null or missing.
     *
     * @throws MagicException when a settings file is not valid
     */
    public static Settings load(Path user, Path global) throws MagicException {
        DefaultSettingsBuildingRequest request = new DefaultSettingsBuildingRequest();
        request.setSystemProperties(System.getProperties());
        if (user != null && Files.isRegularFile(user)) {
            request.setUserSettingsFile(user.toFile());
        }
        if (global != null && Files.isRegularFile(global)) {
            request.setGlobalSettingsFile(global.toFile());
        }
        Settings settings;
        try {
            settings = new DefaultSettingsBuilderFactory().newInstance().build(request)
                    .getEffectiveSettings();
        } catch (SettingsBuildingException e) {
            throw new MagicException("Cannot read Maven settings (" + user
                    + (global == null ? "" : ", " + global) + "): " + e.getMessage(), e);
        }
        decrypt(settings);
        return settings;
    }

    /** The local repository: settings' {@code localRepository}, else {@code ~/.m2/repository}. */
    public static Path localRepository(Settings settings) {
        String configured = settings == null ? null : settings.getLocalRepository();
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip()).toAbsolutePath().normalize();
        }
        return m2().resolve("repository");
    }

    /**
     * Repositories of the active profiles (named in {@code <activeProfiles>} or
     * {@code <activeByDefault>}), in the order they appear.
     */
    public static List<MavenRepo> profileRepositories(Settings settings) {
        List<MavenRepo> out = new ArrayList<>();
        if (settings == null) {
            return out;
        }
        Set<String> active = new LinkedHashSet<>(settings.getActiveProfiles());
        for (Profile p : settings.getProfiles()) {
            boolean byDefault = p.getActivation() != null && p.getActivation().isActiveByDefault();
            if (active.contains(p.getId()) || byDefault) {
                for (Repository r : p.getRepositories()) {
                    if (r.getId() != null && r.getUrl() != null) {
                        out.add(new MavenRepo(r.getId(), r.getUrl()));
                    }
                }
            }
        }
        return out;
    }

    private static Path m2() {
        return Path.of(System.getProperty("user.home"), ".m2");
    }

    private static void decrypt(Settings settings) {
        boolean encrypted = settings.getServers().stream()
                .anyMatch(s -> isEncrypted(s.getPassword()) || isEncrypted(s.getPassphrase()))
                || settings.getProxies().stream().anyMatch(p -> isEncrypted(p.getPassword()));
        if (!encrypted) {
            return;
        }
        String security = System.getProperty("settings.security",
                m2().resolve("settings-security.xml").toString());
        try {
            SettingsDecryptionResult result = new DefaultSettingsDecrypter(
                    new DefaultSecDispatcher(new DefaultPlexusCipher(), Map.of(), security))
                    .decrypt(new DefaultSettingsDecryptionRequest(settings));
            settings.setServers(result.getServers());
            settings.setProxies(result.getProxies());
        } catch (RuntimeException | LinkageError e) {
            // Without a usable master password the values stay as written.
        }
    }

    private static boolean isEncrypted(String value) {
        return value != null && value.strip().startsWith("{") && value.strip().endsWith("}");
    }
}
