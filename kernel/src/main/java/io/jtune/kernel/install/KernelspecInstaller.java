package io.jtune.kernel.install;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.kernel.protocol.Json;
import io.jtune.kernel.protocol.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes and removes the Jupyter kernelspec ({@code kernel.json} and logos) in the folders
 * {@code jupyter kernelspec list} reads: the user's data folder ({@code --user}, the default) or
 * {@code PREFIX/share/jupyter/kernels} ({@code --prefix}).
 */
public final class KernelspecInstaller {
    public static final String DEFAULT_NAME = "jtune";
    public static final String DISPLAY_NAME = "Java (jtune)";
    /**
     * JVM options the kernel starts with unless {@code --java-opts} says otherwise (the launcher's
     * own default is the same). Memory is set on purpose: the heap is a quarter of the machine's (or
     * container's) memory, at most 16 GB ({@code ErgoHeapSizeLimit} caps the percentage; an
     * {@code -Xmx} given instead wins), direct memory (model weights) defaults to the same limit,
     * and ParallelGC gives up with an OutOfMemoryError once 90% of the time goes to collections
     * that free less than 5% of the heap, rather than running full GCs back to back.
     */
    public static final String DEFAULT_JAVA_OPTS =
            "-Djava.awt.headless=true -Dai.djl.offline=true -XX:+UseParallelGC -Xss8m"
                    + " -XX:MaxRAMPercentage=25 -XX:ErgoHeapSizeLimit=16g -XX:GCTimeLimit=90 -XX:GCHeapFreeLimit=5";

    private KernelspecInstaller() {}

    /**
     * Installs the kernelspec {@code name} for the launcher that started us, under {@code prefix}
     * (null: the user's Jupyter data folder); returns the folder written.
     */
    public static Path install(Path prefix, String name, String javaOpts) throws IOException {
        Path dir = kernelsDir(prefix).resolve(checkName(name));
        install(dir, launcher(), javaOpts);
        return dir;
    }

    /** Removes the kernelspec {@code name}; returns its folder, or empty when there was none. */
    public static java.util.Optional<Path> uninstall(Path prefix, String name) throws IOException {
        Path dir = kernelsDir(prefix).resolve(checkName(name));
        if (!Files.isDirectory(dir)) {
            return java.util.Optional.empty();
        }
        deleteTree(dir);
        return java.util.Optional.of(dir);
    }

    /**
     * {@code name} when it is a usable kernelspec name.
     *
     * @throws IllegalArgumentException when it is not
     */
    public static String checkName(String name) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("--name '" + name + "': use letters, digits, '.', '_' or '-'");
        }
        return name;
    }

    /** Writes {@code kernel.json} and the logos into {@code dir}, replacing what was there. */
    public static void install(Path dir, Path launcher, String javaOpts) throws IOException {
        Files.createDirectories(dir);
        ObjectNode spec = Json.object();
        ArrayNode argv = spec.putArray("argv");
        argv.add(launcher.toString()).add("kernel").add("{connection_file}");
        spec.put("display_name", DISPLAY_NAME);
        spec.put("language", "java");
        spec.put("interrupt_mode", "message");
        spec.put("kernel_protocol_version", Message.PROTOCOL_VERSION);
        ObjectNode env = spec.putObject("env");
        env.put("JTUNE_JAVA_OPTS", javaOpts);
        spec.putObject("metadata").put("debugger", false);
        Path tmp = dir.resolve("kernel.json.tmp");
        Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec));
        Files.move(tmp, dir.resolve("kernel.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(dir.resolve("logo-64x64.png"), Logo.png(64));
        Files.write(dir.resolve("logo-32x32.png"), Logo.png(32));
        Files.writeString(dir.resolve("logo-svg.svg"), Logo.svg());
    }

    /** Where kernelspecs live: PREFIX/share/jupyter/kernels, or the user's Jupyter data folder. */
    static Path kernelsDir(Path prefix) {
        if (prefix != null) {
            return prefix.toAbsolutePath().resolve("share").resolve("jupyter").resolve("kernels");
        }
        String dataDir = System.getenv("JUPYTER_DATA_DIR");
        if (dataDir != null && !dataDir.isBlank()) {
            return Path.of(dataDir).resolve("kernels");
        }
        String home = System.getProperty("user.home");
        if (System.getProperty("os.name", "").toLowerCase().contains("mac")) {
            return Path.of(home, "Library", "Jupyter", "kernels");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home, ".local", "share");
        return base.resolve("jupyter").resolve("kernels");
    }

    /** The launcher script that started us ({@code -Djtune.launcher=...}, set by {@code ./jtune}). */
    static Path launcher() {
        String l = System.getProperty("jtune.launcher");
        if (l == null || l.isBlank()) {
            throw new IllegalStateException("run install through the ./jtune launcher (it tells the kernelspec where it is)");
        }
        return Path.of(l).toAbsolutePath().normalize();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
