package io.jtune.finetune.data.batch;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a {@link PreparedDataset} was made from and holds, saved as {@code metadata.json}: source
 * files with their SHA-256, the prompt format, the tokenizer folder and the SHA-256 of its
 * {@code tokenizer.json}, max length, seed, counts, the jtune version, and the SHA-256 of the
 * examples file (checked on load).
 */
public record PreparedMetadata(
        @JsonProperty("sources") List<SourceFile> sources,
        @JsonProperty("template") String template,
        @JsonProperty("tokenizer_dir") String tokenizerDir,
        @JsonProperty("tokenizer_sha256") String tokenizerSha256,
        @JsonProperty("max_len") int maxLen,
        @JsonProperty("seed") long seed,
        @JsonProperty("examples") int examples,
        @JsonProperty("problems") int problems,
        @JsonProperty("tokens") long tokens,
        @JsonProperty("jtune_version") String jtuneVersion,
        @JsonProperty("examples_sha256") String examplesSha256) {

    /** The version written when the jar carries none. */
    public static final String DEFAULT_VERSION = "0.1.0";

    public PreparedMetadata {
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    /** A source file and its SHA-256 when the dataset was prepared. */
    public record SourceFile(@JsonProperty("path") String path, @JsonProperty("sha256") String sha256) {}

    /** This metadata with the examples file's hash set. */
    public PreparedMetadata withExamplesSha256(String sha) {
        return new PreparedMetadata(sources, template, tokenizerDir, tokenizerSha256, maxLen, seed, examples, problems,
                tokens, jtuneVersion, sha);
    }

    /** The jtune version of this build. */
    public static String currentJtuneVersion() {
        String v = PreparedMetadata.class.getPackage().getImplementationVersion();
        return v == null ? DEFAULT_VERSION : v;
    }

    /** The lowercase hex SHA-256 of a file's bytes. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
