package io.jtune.finetune.io.safetensors;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The weights of a model folder, in one safetensors file or split over several, read as one set of
 * named tensors.
 *
 * <p>A folder holds either {@code model.safetensors} or, for a sharded checkpoint, the index
 * {@code model.safetensors.index.json}:
 * {@code {"metadata": {"total_size": N}, "weight_map": {"model.embed_tokens.weight":
 * "model-00001-of-00002.safetensors", ...}}} together with the shard files it names (written as
 * {@code model-00001-of-0000N.safetensors} by transformers). The index wins when both are present,
 * as in transformers.
 *
 * <p>{@link #open} parses the index and checks that every shard it names exists in the folder.
 * Shards are opened (their headers read and validated) lazily, the first time a tensor in them is
 * needed, and stay open until {@link #close}; when a shard is opened, every tensor the index maps
 * to it must be in it. {@link #tensors()} opens every shard. Errors about the index or about a
 * tensor's shard start with the index file's name; tensors a shard holds that the index does not
 * list are ignored.
 */
public final class ShardedSafetensors implements TensorSource {
    /** The single-file weights name. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** The sharded-checkpoint index name. */
    public static final String INDEX_FILE = SafetensorsIndex.FILE_NAME;

    private final Path directory;
    private final SafetensorsIndex index;
    private final Map<String, Path> shardPaths;
    private final Map<Path, SafetensorsReader> open = new HashMap<>();
    private final SafetensorsReader single;
    private boolean closed;

    private ShardedSafetensors(Path directory, SafetensorsIndex index, Map<String, Path> shardPaths,
            SafetensorsReader single) {
        this.directory = directory;
        this.index = index;
        this.shardPaths = shardPaths;
        this.single = single;
    }

    /**
     * Opens the weights in {@code modelDir}: the index and its shards when
     * {@value #INDEX_FILE} exists, else {@value #SINGLE_FILE}.
     */
    public static ShardedSafetensors open(Path modelDir) throws SafetensorsException {
        if (!Files.isDirectory(modelDir)) {
            throw new SafetensorsException(modelDir + ": is not a folder");
        }
        Path indexFile = modelDir.resolve(INDEX_FILE);
        if (Files.exists(indexFile)) {
            SafetensorsIndex index = SafetensorsIndex.read(indexFile);
            Path folder = indexFile.toAbsolutePath().normalize().getParent();
            Map<String, Path> shardPaths = new LinkedHashMap<>();
            for (String shard : index.shardNames()) {
                Path p = folder.resolve(shard).normalize();
                if (!Files.isRegularFile(p)) {
                    long count = index.weightMap.values().stream().filter(shard::equals).count();
                    throw new SafetensorsException(INDEX_FILE + ": weight_map maps " + count + " tensor"
                            + (count == 1 ? "" : "s") + " to '" + shard + "', which does not exist in " + folder);
                }
                shardPaths.put(shard, p);
            }
            return new ShardedSafetensors(modelDir, index, shardPaths, null);
        }
        Path file = modelDir.resolve(SINGLE_FILE);
        if (!Files.exists(file)) {
            throw new SafetensorsException(modelDir + ": holds neither " + SINGLE_FILE + " nor " + INDEX_FILE);
        }
        return new ShardedSafetensors(modelDir, null, Map.of(), SafetensorsReader.open(file));
    }

    /**
     * The shard file names an index lists, in order of first appearance in its weight map, without
     * opening any shard or checking that they exist.
     */
    public static Set<String> shardNames(Path indexFile) throws SafetensorsException {
        return SafetensorsIndex.read(indexFile).shardNames();
    }

    /** The model folder. */
    public Path directory() {
        return directory;
    }

    /** The index file, when the weights are sharded. */
    public Optional<Path> indexFile() {
        return index == null ? Optional.empty() : Optional.of(index.file);
    }

    /** The weight files: the shards in index order, or the single file. */
    public List<Path> files() {
        return single != null ? List.of(single.file()) : List.copyOf(shardPaths.values());
    }

    /** The tensor names, known without opening any shard. */
    public Set<String> names() {
        return single != null ? single.tensors().keySet() : index.weightMap.keySet();
    }

    /** The file that holds the named tensor (opens nothing). */
    public Path fileOf(String name) throws SafetensorsException {
        if (single != null) {
            single.info(name);
            return single.file();
        }
        String shard = index.weightMap.get(name);
        if (shard == null) {
            throw new SafetensorsException(INDEX_FILE + ": weight_map has no tensor named '" + name + "'; it has "
                    + index.weightMap.size() + " tensors, such as " + someNames());
        }
        return shardPaths.get(shard);
    }

    private String someNames() {
        List<String> names = new ArrayList<>();
        for (String n : index.weightMap.keySet()) {
            if (names.size() == 5) {
                break;
            }
            names.add("'" + n + "'");
        }
        return String.join(", ", names);
    }

    private synchronized SafetensorsReader readerFor(String name) throws SafetensorsException {
        if (closed) {
            throw new SafetensorsException(directory + ": the weights are closed");
        }
        if (single != null) {
            return single;
        }
        return shard(fileOf(name));
    }

    private SafetensorsReader shard(Path path) throws SafetensorsException {
        SafetensorsReader reader = open.get(path);
        if (reader != null) {
            return reader;
        }
        try {
            reader = SafetensorsReader.open(path);
        } catch (SafetensorsException e) {
            throw new SafetensorsException(INDEX_FILE + ": shard " + e.getMessage(), e);
        }
        String shardName = null;
        for (Map.Entry<String, Path> e : shardPaths.entrySet()) {
            if (e.getValue().equals(path)) {
                shardName = e.getKey();
            }
        }
        for (Map.Entry<String, String> e : index.weightMap.entrySet()) {
            if (e.getValue().equals(shardName) && !reader.contains(e.getKey())) {
                reader.close();
                throw new SafetensorsException(INDEX_FILE + ": weight_map maps '" + e.getKey() + "' to '" + shardName
                        + "', but that file has no such tensor; " + reader.describeNames(e.getKey()));
            }
        }
        open.put(path, reader);
        return reader;
    }

    /** Every tensor, in the index's order (or the single file's); opens every shard. */
    @Override
    public synchronized Map<String, TensorInfo> tensors() throws SafetensorsException {
        if (single != null) {
            return single.tensors();
        }
        Map<String, TensorInfo> all = new LinkedHashMap<>();
        for (String name : index.weightMap.keySet()) {
            all.put(name, readerFor(name).info(name));
        }
        return Collections.unmodifiableMap(all);
    }

    @Override
    public synchronized Map<String, String> metadata() throws SafetensorsException {
        if (single != null) {
            return single.metadata();
        }
        if (shardPaths.isEmpty()) {
            return Map.of();
        }
        return shard(shardPaths.values().iterator().next()).metadata();
    }

    @Override
    public boolean contains(String name) {
        return names().contains(name);
    }

    @Override
    public TensorInfo info(String name) throws SafetensorsException {
        return readerFor(name).info(name);
    }

    @Override
    public ByteBuffer readRaw(String name) throws SafetensorsException {
        return readerFor(name).readRaw(name);
    }

    @Override
    public void read(String name, long offset, ByteBuffer dst) throws SafetensorsException {
        readerFor(name).read(name, offset, dst);
    }

    @Override
    public void readAsF32(String name, FloatBuffer dst) throws SafetensorsException {
        readerFor(name).readAsF32(name, dst);
    }

    @Override
    public float[] readFloats(String name) throws SafetensorsException {
        return readerFor(name).readFloats(name);
    }

    @Override
    public long[] readLongs(String name) throws SafetensorsException {
        return readerFor(name).readLongs(name);
    }

    @Override
    public int[] readInts(String name) throws SafetensorsException {
        return readerFor(name).readInts(name);
    }

    @Override
    public synchronized void close() {
        closed = true;
        open.values().forEach(SafetensorsReader::close);
        open.clear();
        if (single != null) {
            single.close();
        }
    }
}
