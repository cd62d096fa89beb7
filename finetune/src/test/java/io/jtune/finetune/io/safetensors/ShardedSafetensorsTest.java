package io.jtune.finetune.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedSafetensorsTest {
    @TempDir
    Path dir;

    @BeforeEach
    void threeShards() throws IOException {
        SafetensorsWriter.writeSharded(dir, List.of(
                TensorData.f32("embed", new long[] {2, 2}, new float[] {1, 2, 3, 4}),
                TensorData.bf16("layer.0", new long[] {4}, new float[] {0.5f, -1, 2, 8}),
                TensorData.i64("ids", new long[] {2}, new long[] {3, 4})), 16);
    }

    private void writeIndex(String weightMap) throws IOException {
        Files.writeString(dir.resolve("model.safetensors.index.json"),
                "{\"metadata\": {\"total_size\": 1}, \"weight_map\": {" + weightMap + "}}");
    }

    @Test
    void tensorsAreReadAcrossShardsThroughTheIndex() throws IOException {
        try (ShardedSafetensors w = ShardedSafetensors.open(dir)) {
            assertEquals(Optional.of(dir.resolve("model.safetensors.index.json")), w.indexFile());
            assertEquals(3, w.files().size());
            assertEquals(List.of("embed", "ids", "layer.0"), new ArrayList<>(w.tensors().keySet()));
            assertArrayEquals(new float[] {1, 2, 3, 4}, w.readFloats("embed"));
            FloatBuffer dst = FloatBuffer.allocate(4);
            w.readAsF32("layer.0", dst);
            assertArrayEquals(new float[] {0.5f, -1, 2, 8}, dst.array());
            assertArrayEquals(new int[] {3, 4}, w.readInts("ids"));
            assertEquals(dir.resolve("model-00003-of-00003.safetensors").toAbsolutePath().normalize(), w.fileOf("ids"));
            assertEquals(8, w.readRaw("ids").capacity() / 2);
            assertTrue(w.contains("embed"));
            assertFalse(w.contains("nothing"));
        }
    }

    @Test
    void shardsAreOpenedOnlyWhenATensorInThemIsRead() throws IOException {
        Files.write(dir.resolve("model-00002-of-00003.safetensors"), new byte[] {1, 2, 3});
        try (ShardedSafetensors w = ShardedSafetensors.open(dir)) {
            assertArrayEquals(new float[] {1, 2, 3, 4}, w.readFloats("embed"));
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> w.readFloats("layer.0"));
            assertEquals("model.safetensors.index.json: shard model-00002-of-00003.safetensors: file is 3 bytes, too "
                    + "short for the 8-byte header length", e.getMessage());
            assertThrows(SafetensorsException.class, w::tensors);
        }
    }

    @Test
    void aShardTheIndexNamesButTheFolderLacksFailsAtOpenNamingTheIndex() throws IOException {
        Files.delete(dir.resolve("model-00003-of-00003.safetensors"));
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> ShardedSafetensors.open(dir));
        assertEquals("model.safetensors.index.json: weight_map maps 1 tensor to 'model-00003-of-00003.safetensors', "
                + "which does not exist in " + dir.toAbsolutePath().normalize(), e.getMessage());
    }

    @Test
    void aTensorTheIndexMapsToAShardThatLacksItIsAnErrorNamingTheIndex() throws IOException {
        writeIndex("\"embed\": \"model-00001-of-00003.safetensors\", \"ghost\": \"model-00001-of-00003.safetensors\"");
        try (ShardedSafetensors w = ShardedSafetensors.open(dir)) {
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> w.readFloats("embed"));
            assertEquals("model.safetensors.index.json: weight_map maps 'ghost' to 'model-00001-of-00003.safetensors', "
                    + "but that file has no such tensor; it has 1 tensor: 'embed'", e.getMessage());
        }
    }

    @Test
    void anIndexThatPointsOutsideTheFolderOrIsMalformedIsRejected() throws IOException {
        writeIndex("\"embed\": \"../elsewhere.safetensors\"");
        assertEquals("model.safetensors.index.json: weight_map entry for 'embed' is not a file name inside the model "
                + "folder: '../elsewhere.safetensors'",
                assertThrows(SafetensorsException.class, () -> ShardedSafetensors.open(dir)).getMessage());
        writeIndex("\"embed\": 3");
        assertEquals("model.safetensors.index.json: weight_map entry for 'embed' is not a file name",
                assertThrows(SafetensorsException.class, () -> ShardedSafetensors.open(dir)).getMessage());
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"metadata\": {}}");
        assertEquals("model.safetensors.index.json: \"weight_map\" is missing",
                assertThrows(SafetensorsException.class, () -> ShardedSafetensors.open(dir)).getMessage());
        Files.writeString(dir.resolve("model.safetensors.index.json"), "{\"weight_map\": {");
        assertTrue(assertThrows(SafetensorsException.class, () -> ShardedSafetensors.open(dir)).getMessage()
                .startsWith("model.safetensors.index.json: is not valid JSON"));
    }

    @Test
    void anUnknownTensorIsAnErrorNamingTheIndexAndSomeNames() throws IOException {
        try (ShardedSafetensors w = ShardedSafetensors.open(dir)) {
            assertEquals("model.safetensors.index.json: weight_map has no tensor named 'nope'; it has 3 tensors, such as "
                    + "'embed', 'ids', 'layer.0'",
                    assertThrows(SafetensorsException.class, () -> w.readFloats("nope")).getMessage());
        }
    }

    @Test
    void aFolderWithOnlyModelSafetensorsIsReadAsOneFile() throws IOException {
        Path single = dir.resolve("single");
        SafetensorsWriter.writeSharded(single, List.of(TensorData.f32("w", new long[] {1}, new float[] {7})), 1000);
        try (ShardedSafetensors w = ShardedSafetensors.open(single)) {
            assertEquals(Optional.empty(), w.indexFile());
            assertEquals(List.of(single.resolve("model.safetensors")), w.files());
            assertArrayEquals(new float[] {7}, w.readFloats("w"));
        }
    }

    @Test
    void aFolderWithoutWeightsOrNoFolderAtAllIsAnError() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertEquals(empty + ": holds neither model.safetensors nor model.safetensors.index.json",
                assertThrows(SafetensorsException.class, () -> ShardedSafetensors.open(empty)).getMessage());
        assertTrue(assertThrows(SafetensorsException.class, () -> ShardedSafetensors.open(dir.resolve("absent")))
                .getMessage().endsWith("is not a folder"));
    }

    @Test
    void readsAfterCloseFail() throws IOException {
        ShardedSafetensors w = ShardedSafetensors.open(dir);
        w.readFloats("embed");
        w.close();
        assertTrue(assertThrows(SafetensorsException.class, () -> w.readFloats("embed")).getMessage()
                .endsWith("the weights are closed"));
    }
}
