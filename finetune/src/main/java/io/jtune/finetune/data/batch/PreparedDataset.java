package io.jtune.finetune.data.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.format.LabelingResult;
import io.jtune.finetune.data.format.PromptFormat;
import io.jtune.finetune.data.format.TokenizedExample;
import io.jtune.finetune.io.FileKinds;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tokenized examples saved for reuse: a folder with {@code examples.jsonl} (one
 * {@code {"input_ids": [...], "labels": [...], "source": {"file": ..., "line": ...}}} per line)
 * and {@code metadata.json} ({@link PreparedMetadata}). {@link #load} fails with an
 * {@link IOException} naming the file when either is missing, is not what was saved (the examples
 * file's SHA-256 and count are checked), or cannot be parsed.
 */
public record PreparedDataset(List<TokenizedExample> examples, PreparedMetadata metadata) {
    /** The examples file in a prepared folder. */
    public static final String EXAMPLES_FILE = "examples.jsonl";
    /** The metadata file in a prepared folder. */
    public static final String METADATA_FILE = "metadata.json";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public PreparedDataset {
        examples = List.copyOf(examples);
    }

    /**
     * A prepared dataset with its metadata computed: hashes of {@code sourceFiles} and of the
     * tokenizer's {@code tokenizer.json}, counts from {@code result}.
     */
    public static PreparedDataset of(LabelingResult result, List<Path> sourceFiles, PromptFormat format,
            Tokenizer tokenizer, int maxLen, long seed) throws IOException {
        List<PreparedMetadata.SourceFile> sources = new ArrayList<>();
        for (Path p : sourceFiles) {
            sources.add(new PreparedMetadata.SourceFile(p.toString(), PreparedMetadata.sha256(p)));
        }
        long tokens = 0;
        for (TokenizedExample e : result.examples()) {
            tokens += e.length();
        }
        Path dir = tokenizer.directory();
        PreparedMetadata m = new PreparedMetadata(sources, format.describe(), dir.toString(),
                PreparedMetadata.sha256(dir.resolve("tokenizer.json")), maxLen, seed, result.examples().size(),
                result.problems().size(), tokens, PreparedMetadata.currentJtuneVersion(), null);
        return new PreparedDataset(result.examples(), m);
    }

    /** Writes {@code dir/examples.jsonl} and then {@code dir/metadata.json}; returns the saved metadata. */
    public PreparedMetadata save(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(EXAMPLES_FILE);
        JsonFactory factory = MAPPER.getFactory();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (TokenizedExample e : examples) {
                try (JsonGenerator g = factory.createGenerator(w)) {
                    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    g.writeStartObject();
                    g.writeFieldName("input_ids");
                    g.writeArray(e.inputIds(), 0, e.length());
                    g.writeFieldName("labels");
                    g.writeArray(e.labels(), 0, e.length());
                    if (e.source() != null) {
                        g.writeObjectFieldStart("source");
                        g.writeStringField("file", e.source().file());
                        g.writeNumberField("line", e.source().line());
                        g.writeEndObject();
                    }
                    g.writeEndObject();
                }
                w.write('\n');
            }
        }
        PreparedMetadata saved = new PreparedMetadata(metadata.sources(), metadata.template(), metadata.tokenizerDir(),
                metadata.tokenizerSha256(), metadata.maxLen(), metadata.seed(), examples.size(), metadata.problems(),
                metadata.tokens(), metadata.jtuneVersion(), PreparedMetadata.sha256(file));
        MAPPER.writeValue(dir.resolve(METADATA_FILE).toFile(), saved);
        return saved;
    }

    /**
     * Reads a prepared folder.
     *
     * @throws IOException naming the file when it is missing, corrupt, or does not match the metadata
     */
    public static PreparedDataset load(Path dir) throws IOException {
        Path metaFile = dir.resolve(METADATA_FILE);
        Path file = dir.resolve(EXAMPLES_FILE);
        for (Path p : new Path[] {metaFile, file}) {
            if (FileKinds.existsButNotRegular(p)) {
                throw new IOException(p + ": " + FileKinds.notRegular(p));
            }
        }
        if (!Files.isRegularFile(metaFile)) {
            throw new NoSuchFileException(metaFile.toString(), null, "not a prepared dataset: no " + METADATA_FILE);
        }
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "the prepared dataset's examples file is missing");
        }
        PreparedMetadata m;
        try {
            m = MAPPER.readValue(metaFile.toFile(), PreparedMetadata.class);
        } catch (JsonProcessingException e) {
            throw new IOException(metaFile + ": corrupt metadata: " + e.getOriginalMessage(), e);
        }
        if (m.examplesSha256() == null) {
            throw new IOException(metaFile + ": corrupt metadata: no examples_sha256");
        }
        String sha = PreparedMetadata.sha256(file);
        if (!sha.equals(m.examplesSha256())) {
            throw new IOException(file + ": corrupt or changed since it was saved (SHA-256 " + sha
                    + ", metadata says " + m.examplesSha256() + ")");
        }
        List<TokenizedExample> examples = new ArrayList<>(m.examples());
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    examples.add(parse(MAPPER.readTree(line)));
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    throw new IOException(file + ":" + n + ": corrupt example: " + e.getMessage(), e);
                }
            }
        }
        if (examples.size() != m.examples()) {
            throw new IOException(file + ": has " + examples.size() + " examples, metadata says " + m.examples());
        }
        return new PreparedDataset(examples, m);
    }

    private static TokenizedExample parse(JsonNode node) {
        JsonNode source = node.get("source");
        SourceRef ref = source == null || source.isNull() ? null
                : new SourceRef(source.path("file").asText(), source.path("line").asInt());
        return new TokenizedExample(ints(node, "input_ids"), ints(node, "labels"), ref);
    }

    private static int[] ints(JsonNode node, String field) {
        JsonNode a = node.get(field);
        if (a == null || !a.isArray()) {
            throw new IllegalArgumentException("no '" + field + "' array");
        }
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            if (!a.get(i).canConvertToInt()) {
                throw new IllegalArgumentException("'" + field + "' holds a non-integer: " + a.get(i));
            }
            out[i] = a.get(i).asInt();
        }
        return out;
    }

    /**
     * What changed since preparing: source files or the tokenizer's {@code tokenizer.json} missing
     * or with another SHA-256; empty when the dataset is up to date.
     */
    public List<String> changedInputs() throws IOException {
        List<String> changes = new ArrayList<>();
        for (PreparedMetadata.SourceFile s : metadata.sources()) {
            check(Path.of(s.path()), s.sha256(), changes);
        }
        if (metadata.tokenizerDir() != null) {
            check(Path.of(metadata.tokenizerDir()).resolve("tokenizer.json"), metadata.tokenizerSha256(), changes);
        }
        return changes;
    }

    private static void check(Path p, String sha, List<String> changes) throws IOException {
        if (!Files.isRegularFile(p)) {
            changes.add(p + ": " + (Files.exists(p) ? FileKinds.notRegular(p) : "missing"));
        } else if (!PreparedMetadata.sha256(p).equals(sha)) {
            changes.add(p + ": changed (SHA-256 differs)");
        }
    }
}
