package io.jtune.finetune.io.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * File operations on the Hugging Face hub cache layout ({@code models--ORG--NAME/} with
 * {@code blobs/}, {@code snapshots/COMMIT/} and {@code refs/}; see {@link HubDownloader}).
 */
final class HubCache {
    private HubCache() {}

    /** {@code {hubCache}/models--{org}--{name}}. */
    static Path repoFolder(Path hubCache, String repoId) {
        return hubCache.resolve("models--" + repoId.replace("/", "--"));
    }

    /** Points {@code target} at {@code blob} with a relative symbolic link, or copies it where links fail. */
    static void link(Path target, Path blob) throws IOException {
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        try {
            Files.createSymbolicLink(target, target.getParent().relativize(blob));
        } catch (UnsupportedOperationException | IOException e) {
            Files.copy(blob, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes {@code refs/{revision}} = {@code commit}, atomically. */
    static void writeRef(Path repoDir, String revision, String commit) throws IOException {
        Path ref = repoDir.resolve("refs").resolve(revision);
        Files.createDirectories(ref.getParent());
        Path tmp = Files.createTempFile(ref.getParent(), ".ref", ".tmp");
        try {
            Files.writeString(tmp, commit);
            try {
                Files.move(tmp, ref, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, ref, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Empties {@code file}, creating it if needed. */
    static void truncate(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest d = digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
