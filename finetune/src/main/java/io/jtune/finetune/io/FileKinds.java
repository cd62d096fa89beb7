package io.jtune.finetune.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * What a path that is not a regular file is, for the loaders' errors: reading a FIFO blocks until
 * a writer comes, a character device such as {@code /dev/null} or {@code /dev/zero} reads empty or
 * never ends, and "no such file" would be wrong for both. Every loader (data files,
 * {@code config.json}, {@code tokenizer.json} and its sibling files, safetensors and their index)
 * checks with {@link #notRegular} before it opens a file.
 */
public final class FileKinds {
    private static final int TYPE_MASK = 0170000;

    private FileKinds() {}

    /**
     * Null when {@code path} is a regular file (after symbolic links); otherwise what it is,
     * ready to follow the path in a message: {@code "does not exist"}, {@code "is a folder"}, or
     * {@code "is not a regular file: a FIFO (named pipe)"} (a character device, a block device, a
     * socket).
     */
    public static String notRegular(Path path) {
        if (Files.isRegularFile(path)) {
            return null;
        }
        if (!Files.exists(path)) {
            return Files.exists(path, LinkOption.NOFOLLOW_LINKS) ? "is a symbolic link to a path that does not exist"
                    : "does not exist";
        }
        if (Files.isDirectory(path)) {
            return "is a folder";
        }
        return "is not a regular file: " + special(path);
    }

    /** Whether {@code path} exists (after symbolic links) and is not a regular file. */
    public static boolean existsButNotRegular(Path path) {
        return Files.exists(path) && !Files.isRegularFile(path);
    }

    private static String special(Path path) {
        int mode;
        try {
            mode = ((Number) Files.getAttribute(path, "unix:mode")).intValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
        return switch (mode & TYPE_MASK) {
            case 0010000 -> "a FIFO (named pipe)";
            case 0020000 -> "a character device";
            case 0060000 -> "a block device";
            case 0140000 -> "a socket";
            default -> "a special file";
        };
    }
}
