package io.jtune.finetune.io.safetensors;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.jtune.finetune.json.PythonJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes safetensors files that Hugging Face's {@code safetensors} library and transformers read.
 *
 * <p>A file is: 8 bytes holding the header length N (unsigned, little-endian); N bytes of UTF-8
 * JSON, {@code {"__metadata__":{"format":"pt",...},"name":{"dtype":"F32","shape":[2,3],
 * "data_offsets":[0,24]},...}}, padded with spaces so that N is a multiple of 8; then the tensors'
 * bytes, contiguous, in the order given. The metadata always has {@code "format": "pt"} unless the
 * caller's metadata sets another format.
 *
 * <p>Each file is written to a temporary file in the same folder, forced to disk and renamed over
 * the target atomically, so a reader never sees half a file. {@link #writeSharded} splits tensors
 * over files the way transformers does: tensors go, in order, into the current shard until the next
 * one would take it past {@code maxShardBytes} of tensor data (a tensor larger than that gets a
 * shard of its own); one shard is written as {@code model.safetensors}, several as
 * {@code model-00001-of-0000N.safetensors} with an index {@code model.safetensors.index.json}
 * ({@code {"metadata": {"total_size": bytes of tensor data}, "weight_map": {name: file}}}, keys
 * sorted, indented by two spaces, as transformers writes it).
 *
 * <p>I/O failures are {@link SafetensorsException}s naming the file; invalid arguments (duplicate
 * tensor names, a non-positive shard size) are {@link IllegalArgumentException}s.
 */
public final class SafetensorsWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern OUR_WEIGHT_FILE =
            Pattern.compile("model\\.safetensors|model\\.safetensors\\.index\\.json|model-\\d{5}-of-\\d{5}\\.safetensors");

    private SafetensorsWriter() {}

    /** Writes {@code tensors} to {@code file} with metadata {@code {"format": "pt"}}. */
    public static void write(Path file, List<TensorData> tensors) throws SafetensorsException {
        write(file, tensors, Map.of());
    }

    /** Writes {@code tensors} to {@code file} with {@code {"format": "pt"}} plus {@code metadata}. */
    public static void write(Path file, List<TensorData> tensors, Map<String, String> metadata)
            throws SafetensorsException {
        checkNames(tensors);
        byte[] header = header(tensors, metadata);
        atomically(file, channel -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length);
            writeFully(channel, length);
            writeFully(channel, ByteBuffer.wrap(header));
            for (TensorData t : tensors) {
                writeFully(channel, t.data());
            }
        });
    }

    /**
     * Writes {@code tensors} into {@code dir} (created if needed) as {@code model.safetensors} when
     * their data fits in {@code maxShardBytes}, else as numbered shards plus
     * {@code model.safetensors.index.json}. Weight files of those names left in {@code dir} by an
     * earlier write are deleted after the new ones are in place.
     *
     * @return the files written: the shards in order, then the index when there is one
     */
    public static List<Path> writeSharded(Path dir, List<TensorData> tensors, long maxShardBytes)
            throws SafetensorsException {
        return writeSharded(dir, tensors, maxShardBytes, Map.of());
    }

    /** As {@link #writeSharded(Path, List, long)}, with {@code metadata} in every shard's header. */
    public static List<Path> writeSharded(Path dir, List<TensorData> tensors, long maxShardBytes,
            Map<String, String> metadata) throws SafetensorsException {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive, not " + maxShardBytes);
        }
        checkNames(tensors);
        List<List<TensorData>> shards = split(tensors, maxShardBytes);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SafetensorsException(dir + ": cannot create the folder: " + e, e);
        }
        List<Path> written = new ArrayList<>();
        if (shards.size() == 1) {
            Path file = dir.resolve(ShardedSafetensors.SINGLE_FILE);
            write(file, shards.get(0), metadata);
            written.add(file);
        } else {
            Map<String, String> weightMap = new TreeMap<>();
            long totalSize = 0;
            for (int i = 0; i < shards.size(); i++) {
                String name = shardName(i + 1, shards.size());
                Path file = dir.resolve(name);
                write(file, shards.get(i), metadata);
                written.add(file);
                for (TensorData t : shards.get(i)) {
                    weightMap.put(t.name(), name);
                    totalSize += t.byteLength();
                }
            }
            Path index = dir.resolve(ShardedSafetensors.INDEX_FILE);
            byte[] json = indexJson(totalSize, weightMap);
            atomically(index, channel -> writeFully(channel, ByteBuffer.wrap(json)));
            written.add(index);
        }
        deleteStale(dir, written);
        return written;
    }

    /** {@code model-00002-of-00005.safetensors}: the name transformers gives shard {@code i} of {@code n}. */
    public static String shardName(int i, int n) {
        return String.format("model-%05d-of-%05d.safetensors", i, n);
    }

    static List<List<TensorData>> split(List<TensorData> tensors, long maxShardBytes) {
        List<List<TensorData>> shards = new ArrayList<>();
        List<TensorData> current = new ArrayList<>();
        long size = 0;
        for (TensorData t : tensors) {
            if (!current.isEmpty() && size + t.byteLength() > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(t);
            size += t.byteLength();
        }
        shards.add(current);
        return shards;
    }

    private static void checkNames(List<TensorData> tensors) {
        Set<String> seen = new HashSet<>();
        for (TensorData t : tensors) {
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("tensor '" + t.name() + "' is given twice");
            }
        }
    }

    /** The header JSON, padded with spaces to a multiple of 8 bytes. */
    static byte[] header(List<TensorData> tensors, Map<String, String> metadata) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.putAll(metadata);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
            for (Map.Entry<String, String> e : meta.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            long offset = 0;
            for (TensorData t : tensors) {
                g.writeObjectFieldStart(t.name());
                g.writeStringField("dtype", t.dtype().safetensorsName());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(offset);
                g.writeNumber(offset + t.byteLength());
                g.writeEndArray();
                g.writeEndObject();
                offset += t.byteLength();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] json = out.toByteArray();
        byte[] padded = Arrays.copyOf(json, (json.length + 7) & ~7);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }

    /** The index as transformers writes it: {@code json.dumps(index, indent=2, sort_keys=True) + "\n"}. */
    static byte[] indexJson(long totalSize, Map<String, String> weightMap) {
        Map<String, Object> index = Map.of("metadata", Map.of("total_size", totalSize), "weight_map", weightMap);
        return (new PythonJson(true, "  ", null, null, true).write(index) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void writeFully(FileChannel channel, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            channel.write(src);
        }
    }

    @FunctionalInterface
    private interface Body {
        void writeTo(FileChannel channel) throws IOException;
    }

    /** Writes a temporary file beside {@code file}, forces it to disk and renames it over {@code file}. */
    static void atomically(Path file, Body body) throws SafetensorsException {
        Path absolute = file.toAbsolutePath();
        Path dir = absolute.getParent();
        String name = String.valueOf(absolute.getFileName());
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            // not createTempFile: its owner-only permissions would stay on the published file
            tmp = dir.resolve("." + name + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                body.writeTo(channel);
                channel.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new SafetensorsException(name + ": cannot write " + absolute + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The write already failed; that error is the one to report.
                }
            }
        }
    }

    private static void deleteStale(Path dir, List<Path> written) throws SafetensorsException {
        Set<Path> keep = new HashSet<>();
        for (Path p : written) {
            keep.add(p.getFileName());
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                Path name = p.getFileName();
                if (OUR_WEIGHT_FILE.matcher(name.toString()).matches() && !keep.contains(name)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new SafetensorsException(dir + ": cannot remove weight files of an earlier write: " + e, e);
        }
    }
}
