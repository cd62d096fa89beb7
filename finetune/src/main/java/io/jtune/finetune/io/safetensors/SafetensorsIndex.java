package io.jtune.finetune.io.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.jtune.finetune.io.FileKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The parsed {@code model.safetensors.index.json} of a sharded checkpoint:
 * {@code {"metadata": {"total_size": N}, "weight_map": {"tensor name": "shard file name", ...}}}.
 * Only {@code weight_map} is read. Shard names are paths relative to the index's folder and may
 * not leave it.
 */
final class SafetensorsIndex {
    static final String FILE_NAME = "model.safetensors.index.json";
    private static final long MAX_INDEX_BYTES = 100_000_000L;
    private static final JsonFactory JSON =
            JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();

    final Path file;
    /** Tensor name to shard file name, in the index's order. */
    final Map<String, String> weightMap;

    private SafetensorsIndex(Path file, Map<String, String> weightMap) {
        this.file = file;
        this.weightMap = weightMap;
    }

    /** The shard file names, in order of first appearance in the weight map. */
    Set<String> shardNames() {
        return new LinkedHashSet<>(weightMap.values());
    }

    static SafetensorsIndex read(Path file) throws SafetensorsException {
        String label = String.valueOf(file.getFileName());
        byte[] bytes;
        if (FileKinds.existsButNotRegular(file)) {
            throw new SafetensorsException(label + ": " + FileKinds.notRegular(file) + " (" + file + ")");
        }
        try {
            long size = Files.size(file);
            if (size > MAX_INDEX_BYTES) {
                throw new SafetensorsException(label + ": is " + size + " bytes, more than the " + MAX_INDEX_BYTES
                        + " bytes an index may have");
            }
            bytes = Files.readAllBytes(file);
        } catch (SafetensorsException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new SafetensorsException(label + ": file not found (" + file + ")", e);
        } catch (IOException e) {
            throw new SafetensorsException(label + ": cannot read " + file + ": " + e, e);
        }
        Map<String, String> weightMap = null;
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new SafetensorsException(label + ": is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (!key.equals("weight_map")) {
                    p.skipChildren();
                    continue;
                }
                if (v != JsonToken.START_OBJECT) {
                    throw new SafetensorsException(label + ": \"weight_map\" is not an object of tensor name to file name");
                }
                weightMap = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String tensor = p.currentName();
                    if (p.nextToken() != JsonToken.VALUE_STRING || p.getText().isEmpty()) {
                        throw new SafetensorsException(label + ": weight_map entry for '" + tensor + "' is not a file name");
                    }
                    weightMap.put(tensor, p.getText());
                }
            }
        } catch (SafetensorsException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(label + ": is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new SafetensorsException(label + ": cannot be parsed: " + e, e);
        }
        if (weightMap == null) {
            throw new SafetensorsException(label + ": \"weight_map\" is missing");
        }
        Path folder = file.toAbsolutePath().normalize().getParent();
        for (Map.Entry<String, String> e : weightMap.entrySet()) {
            Path resolved;
            try {
                resolved = folder.resolve(e.getValue()).normalize();
            } catch (RuntimeException bad) {
                resolved = null;
            }
            if (resolved == null || !resolved.startsWith(folder) || resolved.equals(folder)) {
                throw new SafetensorsException(label + ": weight_map entry for '" + e.getKey()
                        + "' is not a file name inside the model folder: '" + e.getValue() + "'");
            }
        }
        return new SafetensorsIndex(file, Collections.unmodifiableMap(weightMap));
    }
}
