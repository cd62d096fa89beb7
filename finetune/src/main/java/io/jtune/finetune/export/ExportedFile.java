package io.jtune.finetune.export;

import io.jtune.finetune.data.batch.PreparedMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One file of an export: its name in the folder, its size and its SHA-256. */
public record ExportedFile(String name, long bytes, String sha256) {
    public static ExportedFile of(Path dir, Path file) throws IOException {
        return new ExportedFile(dir.relativize(file).toString(), Files.size(file), PreparedMetadata.sha256(file));
    }
}
