package io.jtune.finetune.export;

import java.nio.file.Path;
import java.util.List;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What an export wrote: the folder, each file with its size and SHA-256, and the notes a user
 * should read (a dequantized base, a lossy dtype).
 */
public record ExportReport(Path folder, List<ExportedFile> files, List<String> notes) {
    public ExportReport {
        files = List.copyOf(files);
        notes = List.copyOf(notes);
    }

    public long totalBytes() {
        return files.stream().mapToLong(ExportedFile::bytes).sum();
    }

    public Table table() {
        StringColumn name = StringColumn.create("file");
        LongColumn bytes = LongColumn.create("bytes");
        StringColumn sha = StringColumn.create("sha256");
        for (ExportedFile f : files) {
            name.append(f.name());
            bytes.append(f.bytes());
            sha.append(f.sha256());
        }
        return Table.create(folder.toString(), name, bytes, sha);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(folder.toString()).append(": ").append(files.size()).append(" files, ")
                .append(String.format(java.util.Locale.ROOT, "%,d bytes", totalBytes()));
        for (String n : notes) {
            b.append("\n  note: ").append(n);
        }
        return b.toString();
    }
}
