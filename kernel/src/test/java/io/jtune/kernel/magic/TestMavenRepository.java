package io.jtune.kernel.magic;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes artifacts (a tiny jar, a pom, their sha1 files) in Maven layout under a folder. */
final class TestMavenRepository {
    private final Path root;

    TestMavenRepository(Path root) {
        this.root = root;
    }

    /** A {@code file:} URL of the repository. */
    String url() {
        return root.toUri().toString();
    }

    Path root() {
        return root;
    }

    /**
     * Publishes {@code group:artifact:version} with the given dependencies, each written
     * {@code group:artifact:version[:scope[:optional]]}.
     */
    TestMavenRepository publish(String coordinate, String... dependencies) throws IOException {
        String[] c = coordinate.split(":");
        Path dir = root.resolve(c[0].replace('.', '/')).resolve(c[1]).resolve(c[2]);
        Files.createDirectories(dir);
        String base = c[1] + "-" + c[2];
        StringBuilder deps = new StringBuilder();
        for (String d : dependencies) {
            String[] p = d.split(":");
            deps.append("    <dependency><groupId>").append(p[0]).append("</groupId><artifactId>")
                    .append(p[1]).append("</artifactId><version>").append(p[2]).append("</version>");
            if (p.length > 3) {
                deps.append("<scope>").append(p[3]).append("</scope>");
            }
            if (p.length > 4) {
                deps.append("<optional>").append(p[4]).append("</optional>");
            }
            deps.append("</dependency>\n");
        }
        String pom = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n"
                + "  <modelVersion>4.0.0</modelVersion>\n"
                + "  <groupId>" + c[0] + "</groupId>\n  <artifactId>" + c[1] + "</artifactId>\n"
                + "  <version>" + c[2] + "</version>\n  <packaging>jar</packaging>\n"
                + "  <dependencies>\n" + deps + "  </dependencies>\n</project>\n";
        write(dir.resolve(base + ".pom"), pom.getBytes(StandardCharsets.UTF_8));
        write(dir.resolve(base + ".jar"), jar(c[1]));
        return this;
    }

    private static byte[] jar(String name) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            jar.putNextEntry(new JarEntry("test/" + name + ".txt"));
            jar.write(name.getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    private static void write(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        try (OutputStream out = Files.newOutputStream(file.resolveSibling(file.getFileName() + ".sha1"))) {
            out.write(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content))
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
