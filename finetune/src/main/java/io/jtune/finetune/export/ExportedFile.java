package io.jtune.finetune.export;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** One file of an export: its name in the folder, its size and its SHA-256. */
public record ExportedFile(String name, long bytes, String sha256) {
    public static ExportedFile of(Path dir, Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return new ExportedFile(dir.relativize(file).toString(), Files.size(file), HexFormat.of().formatHex(md.digest()));
    }
}
