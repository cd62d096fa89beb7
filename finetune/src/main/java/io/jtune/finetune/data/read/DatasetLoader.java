package io.jtune.finetune.data.read;

import io.jtune.finetune.data.Dataset;
import io.jtune.finetune.data.DatasetException;
import io.jtune.finetune.data.DatasetSplitter;
import io.jtune.finetune.data.DedupMode;
import io.jtune.finetune.data.Deduplicator;
import io.jtune.finetune.data.Duplicate;
import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.LoadPolicy;
import io.jtune.finetune.data.LoadReport;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.Split;
import io.jtune.finetune.data.SplitSpec;
import io.jtune.finetune.data.ValidationProblem;
import io.jtune.finetune.io.FileKinds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Loads training examples from JSON Lines ({@code .jsonl}, {@code .ndjson}), JSON ({@code .json}:
 * an array of objects, or one object per line), CSV ({@code .csv}) and TSV ({@code .tsv}) files,
 * a folder of such files (read in file-name order, not recursively; other files are ignored), a
 * list of maps or a Tablesaw table. Files are read as UTF-8, with or without a byte order mark,
 * with LF or CRLF line ends; a file saved as UTF-16 or UTF-32 is one problem naming its encoding.
 * Every row's source is the physical 1-based line it starts on.
 *
 * <p>Each row is recognised as Alpaca, prompt/completion, {@code messages} or ShareGPT
 * {@code conversations} (see {@link #builder()} for the column mapping that covers other names)
 * and validated; a file holds one {@link RowFormat}, and a row of another is a problem (rows given as
 * a list or table may mix formats unless {@link Builder#format(RowFormat)} names one). Duplicates
 * are found by the {@link DedupMode} in force ({@link Deduplicator}). Under
 * {@link LoadPolicy#STRICT} any problem, a duplicate included, stops the load with a
 * {@link DatasetException}; under {@link LoadPolicy#SKIP} bad rows are left out and listed in the
 * {@link LoadReport}, and each later copy of a duplicate is dropped and listed there. The rest is
 * divided into splits ({@link DatasetSplitter}), so a duplicate never lands in two splits.
 *
 * <p>Rules for rows: text fields must be non-blank strings; a conversation may open with a system
 * turn, then alternates user and assistant starting with user, and ends with an assistant turn. An
 * empty file is a problem ("no examples"). Lines (and, for JSON arrays and CSV, every line of the
 * file) over {@code maxLineBytes} are refused without being held in memory whole.
 */
public final class DatasetLoader {
    /** Default longest line: 10 MiB. */
    public static final int DEFAULT_MAX_LINE_BYTES = 10 * 1024 * 1024;
    /** Default number of problems listed in a {@link DatasetException} message. */
    public static final int DEFAULT_MAX_LISTED_PROBLEMS = 20;

    private final LoadPolicy policy;
    private final Map<String, String> columnMapping;
    private final DedupMode dedup;
    private final RowFormat format;
    private final SplitSpec split;
    private final int maxLineBytes;
    private final int maxListedProblems;

    private DatasetLoader(Builder b) {
        this.policy = b.policy;
        this.columnMapping = Map.copyOf(b.columnMapping);
        this.dedup = b.dedup;
        this.format = b.format;
        this.split = b.split;
        this.maxLineBytes = b.maxLineBytes;
        this.maxListedProblems = b.maxListedProblems;
    }

    /**
     * Options: STRICT, no column mapping, exact dedup, each file's format from its first valid row,
     * everything in train, 10 MiB lines, 20 listed problems.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Loads with the default options. */
    public static Dataset loadDefault(Path path) {
        return builder().build().load(path);
    }

    /** Loads a file or a folder of files. */
    public Dataset load(Path path) {
        Objects.requireNonNull(path, "path");
        List<RawRecord> records = new ArrayList<>();
        List<ValidationProblem> problems = new ArrayList<>();
        List<String> sourceFiles = new ArrayList<>();
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> list = Files.list(path)) {
                files = list.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().startsWith("."))
                        .filter(p -> kind(p) != null)
                        .sorted((a, c) -> a.getFileName().toString().compareTo(c.getFileName().toString()))
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
            }
            if (files.isEmpty()) {
                throw new DatasetException("cannot load " + path + ": no .jsonl, .ndjson, .json, .csv or .tsv files in it",
                        List.of(), maxListedProblems);
            }
            for (Path file : files) {
                sourceFiles.add(file.getFileName().toString());
                readFile(file, records, problems);
            }
        } else if (Files.isRegularFile(path)) {
            if (kind(path) == null) {
                throw new DatasetException("cannot load " + path + ": expected a .jsonl, .ndjson, .json, .csv or .tsv file",
                        List.of(), maxListedProblems);
            }
            sourceFiles.add(path.getFileName().toString());
            readFile(path, records, problems);
        } else {
            String what = Files.exists(path) ? FileKinds.notRegular(path) : "no such file or folder";
            throw new DatasetException("cannot load " + path + ": " + what, List.of(), maxListedProblems);
        }
        return finish(path.toString(), sourceFiles, records, problems, true);
    }

    /** Loads rows given as maps (column name to value); row {@code i} is {@code <list>:i+1}. */
    public Dataset load(List<? extends Map<String, ?>> rows) {
        List<RawRecord> records = new ArrayList<>();
        List<ValidationProblem> problems = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            SourceRef ref = new SourceRef("<list>", i + 1);
            if (rows.get(i) == null) {
                problems.add(new ValidationProblem(ref, "", "row is null"));
            } else {
                records.add(new RawRecord(ref, new LinkedHashMap<>(rows.get(i))));
            }
        }
        if (rows.isEmpty()) {
            problems.add(ValidationProblem.ofFile("<list>", "no examples"));
        }
        return finish("the list", List.of("<list>"), records, problems, false);
    }

    /** Loads the rows of a Tablesaw table; row {@code i} is {@code <table>:i+1}. */
    public Dataset load(Table table) {
        List<RawRecord> records = new ArrayList<>();
        List<ValidationProblem> problems = new ArrayList<>();
        for (int i = 0; i < table.rowCount(); i++) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Column<?> column : table.columns()) {
                values.put(column.name(), cell(column, i));
            }
            records.add(new RawRecord(new SourceRef("<table>", i + 1), values));
        }
        if (table.rowCount() == 0) {
            problems.add(ValidationProblem.ofFile("<table>", "no examples"));
        }
        return finish("the table", List.of("<table>"), records, problems, false);
    }

    private static Object cell(Column<?> column, int row) {
        Object value = column.get(row);
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return column.isMissing(row) && !(value instanceof String) ? null : value;
        }
        return column.isMissing(row) ? null : column.getString(row);
    }

    private enum Kind { JSONL, JSON, CSV, TSV }

    private static Kind kind(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return Kind.JSONL;
        } else if (name.endsWith(".json")) {
            return Kind.JSON;
        } else if (name.endsWith(".csv")) {
            return Kind.CSV;
        } else if (name.endsWith(".tsv")) {
            return Kind.TSV;
        }
        return null;
    }

    private void readFile(Path file, List<RawRecord> records, List<ValidationProblem> problems) {
        String name = file.getFileName().toString();
        int recordsBefore = records.size();
        int problemsBefore = problems.size();
        try {
            String encoding = foreignEncoding(file);
            if (encoding != null) {
                problems.add(ValidationProblem.ofFile(name, "the file is encoded as " + encoding
                        + ", not UTF-8; it was not read: save it as UTF-8"));
                return;
            }
            Kind kind = kind(file);
            if (kind == Kind.JSON && !startsWithArray(file)) {
                kind = Kind.JSONL;
            }
            try (InputStream in = Files.newInputStream(file)) {
                switch (kind) {
                    case JSONL -> JsonRecordReader.readLines(in, name, maxLineBytes, records, problems);
                    case JSON -> JsonRecordReader.readArray(in, name, maxLineBytes, records, problems);
                    case CSV -> CsvRecordReader.read(in, name, ',', maxLineBytes, records, problems);
                    case TSV -> CsvRecordReader.read(in, name, '\t', maxLineBytes, records, problems);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (records.size() == recordsBefore && problems.size() == problemsBefore) {
            problems.add(ValidationProblem.ofFile(name, "no examples"));
        }
    }

    /** The encoding of a file saved as UTF-16 or UTF-32, from its first bytes; null otherwise. */
    private static String foreignEncoding(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ForeignEncoding.detect(in.readNBytes(4096));
        }
    }

    /** Whether the first character after an optional BOM and whitespace is '['. */
    private static boolean startsWithArray(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4096);
            int i = head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB
                    && (head[2] & 0xff) == 0xBF ? 3 : 0;
            while (i < head.length && Character.isWhitespace(head[i])) {
                i++;
            }
            return i < head.length && head[i] == '[';
        }
    }

    private static int fileOrder(List<String> sourceFiles, String file) {
        int i = sourceFiles.indexOf(file);
        return i < 0 ? Integer.MAX_VALUE : i;
    }

    private Dataset finish(String what, List<String> sourceFiles, List<RawRecord> records,
                           List<ValidationProblem> problems, boolean detectFormatPerFile) {
        int readSkipped = 0;
        for (ValidationProblem p : problems) {
            if (p.source().line() > 0) {
                readSkipped++;
            }
        }
        int skipped = readSkipped;
        RecordNormalizer normalizer = new RecordNormalizer(columnMapping);
        List<RecordNormalizer.Outcome> outcomes = OneFormatPerFile.check(
                records.stream().map(normalizer::normalize).toList(), format, detectFormatPerFile);
        List<Example> examples = new ArrayList<>();
        for (RecordNormalizer.Outcome outcome : outcomes) {
            if (outcome.example() != null) {
                examples.add(outcome.example());
            } else {
                problems.addAll(outcome.problems());
                skipped++;
            }
        }
        Deduplicator.Result deduped = Deduplicator.dedup(examples, dedup);
        if (policy == LoadPolicy.STRICT) {
            for (Duplicate d : deduped.duplicates()) {
                problems.add(duplicateProblem(d));
            }
        }
        problems.sort(Comparator.comparingInt((ValidationProblem p) -> fileOrder(sourceFiles, p.source().file()))
                .thenComparingInt(p -> p.source().line()));
        if (policy == LoadPolicy.STRICT && !problems.isEmpty()) {
            throw new DatasetException("cannot load " + what + ": " + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + ", nothing was loaded (fix them, or load with LoadPolicy.SKIP"
                    + " to leave bad rows out)", problems, maxListedProblems);
        }
        if (examples.isEmpty()) {
            throw new DatasetException("cannot load " + what + ": no valid examples", problems, maxListedProblems);
        }
        Map<Split, List<Example>> splits = DatasetSplitter.split(deduped.kept(), split);
        LoadReport report = new LoadReport(records.size() + readSkipped, skipped,
                problems, deduped.duplicates());
        return new Dataset(splits, report);
    }

    /** A duplicate as a problem under STRICT: {@code data.jsonl:7: duplicate of line 3 (...)}. */
    private ValidationProblem duplicateProblem(Duplicate d) {
        SourceRef original = d.original();
        String of = original.file().equals(d.duplicate().file()) ? "line " + original.line() : original.toString();
        String same = dedup == DedupMode.NORMALIZED
                ? "the same conversation once spaces and case are ignored, DedupMode.NORMALIZED"
                : "the same conversation, DedupMode.EXACT";
        return new ValidationProblem(d.duplicate(), "", "duplicate of " + of + " (" + same + ")");
    }

    /** Options for a {@link DatasetLoader}. */
    public static final class Builder {
        private LoadPolicy policy = LoadPolicy.STRICT;
        private Map<String, String> columnMapping = Map.of();
        private DedupMode dedup = DedupMode.EXACT;
        private RowFormat format;
        private SplitSpec split = SplitSpec.NONE;
        private int maxLineBytes = DEFAULT_MAX_LINE_BYTES;
        private int maxListedProblems = DEFAULT_MAX_LISTED_PROBLEMS;

        private Builder() {
        }

        /** What to do with bad rows; {@link LoadPolicy#STRICT} by default. */
        public Builder policy(LoadPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Reads other column names: each entry is {@code target field -> source column}, for example
         * {@code Map.of("instruction", "question", "output", "answer")}. A mapped column missing from
         * a row is a problem for that row.
         */
        public Builder columnMapping(Map<String, String> columnMapping) {
            this.columnMapping = Map.copyOf(columnMapping);
            return this;
        }

        /** How duplicates are found; {@link DedupMode#EXACT} by default. */
        public Builder dedup(DedupMode dedup) {
            this.dedup = Objects.requireNonNull(dedup, "dedup");
            return this;
        }

        /**
         * The format every row must have. By default each file's format is that of its first valid
         * row, while a list or table may mix formats. Either way, a file's rows of another format are
         * problems.
         */
        public Builder format(RowFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /** How examples are divided; everything goes to train by default. */
        public Builder split(SplitSpec split) {
            this.split = Objects.requireNonNull(split, "split");
            return this;
        }

        /**
         * The longest line accepted, in bytes; 10 MiB by default. JSON strings up to this many
         * characters are read (Jackson's own limit of 20 million characters is raised with it).
         */
        public Builder maxLineBytes(int maxLineBytes) {
            if (maxLineBytes < 1) {
                throw new IllegalArgumentException("maxLineBytes must be positive, got " + maxLineBytes);
            }
            this.maxLineBytes = maxLineBytes;
            return this;
        }

        /** How many problems a {@link DatasetException} message lists before "... and N more"; 20 by default. */
        public Builder maxListedProblems(int maxListedProblems) {
            if (maxListedProblems < 0) {
                throw new IllegalArgumentException("maxListedProblems must not be negative, got " + maxListedProblems);
            }
            this.maxListedProblems = maxListedProblems;
            return this;
        }

        public DatasetLoader build() {
            return new DatasetLoader(this);
        }
    }
}
