package io.jtune.kernel.install;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.kernel.Main.UsageException;
import io.jtune.kernel.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes and removes the Jupyter kernelspec ({@code kernel.json} and logos) in the folders
 * {@code jupyter kernelspec list} reads: the user's data folder ({@code --user}, the default) or
 * {@code PREFIX/share/jupyter/kernels} ({@code --prefix}).
 */
public final class KernelspecInstaller {
    public static final String DEFAULT_NAME = "jtune";
    public static final String DISPLAY_NAME = "Java (jtune)";
    /** JVM options the kernel starts with unless {@code --java-opts} says otherwise. */
    public static final String DEFAULT_JAVA_OPTS =
            "-Djava.awt.headless=true -Dai.djl.offline=true -XX:+UseParallelGC -Xss8m";

    private KernelspecInstaller() {}

    /** {@code install}/{@code uninstall} arguments; returns the exit code. */
    public static int main(List<String> args, boolean uninstall) throws Exception {
        Path prefix = null;
        boolean user = false;
        String name = DEFAULT_NAME;
        String javaOpts = DEFAULT_JAVA_OPTS;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--user" -> user = true;
                case "--prefix" -> prefix = Path.of(value(args, ++i, a));
                case "--name" -> name = value(args, ++i, a);
                case "--java-opts" -> javaOpts = value(args, ++i, a);
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        if (user && prefix != null) {
            throw new UsageException("--user and --prefix exclude each other");
        }
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new UsageException("--name '" + name + "': use letters, digits, '.', '_' or '-'");
        }
        Path dir = kernelsDir(prefix).resolve(name);
        if (uninstall) {
            if (!Files.isDirectory(dir)) {
                System.err.println("no kernelspec at " + dir);
                return 1;
            }
            deleteTree(dir);
            System.out.println("Removed kernelspec " + name + " from " + dir);
            return 0;
        }
        install(dir, launcher(), javaOpts);
        System.out.println("Installed kernelspec " + name + " in " + dir);
        return 0;
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
    static Path launcher() throws UsageException {
        String l = System.getProperty("jtune.launcher");
        if (l == null || l.isBlank()) {
            throw new UsageException("run install through the ./jtune launcher (it tells the kernelspec where it is)");
        }
        return Path.of(l).toAbsolutePath().normalize();
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) {
            throw new UsageException(option + " needs a value");
        }
        return args.get(i);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
