package io.jtune.finetune.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.data.DatasetException;
import io.jtune.finetune.data.batch.PreparedDataset;
import io.jtune.finetune.data.read.DatasetLoader;
import io.jtune.finetune.io.safetensors.SafetensorsException;
import io.jtune.finetune.io.safetensors.ShardedSafetensors;
import io.jtune.finetune.model.ModelConfigReader;
import io.jtune.finetune.tokenize.TinyBpe;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every loader says that a FIFO or a device is not a regular file, and none blocks on one. */
class FileKindsTest {
    private static final String FIFO = "is not a regular file: a FIFO (named pipe)";
    private static final String DEVICE = "is not a regular file: a character device";

    @TempDir
    static Path dir;

    private static Path fifo(Path at) throws Exception {
        Process p = new ProcessBuilder("mkfifo", at.toString()).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
        return at;
    }

    private static Path fifoIn;

    @BeforeAll
    static void makeFifo() throws Exception {
        fifoIn = fifo(dir.resolve("data.jsonl"));
    }

    @Test
    void describesWhatAPathIs() throws IOException {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        assertNull(FileKinds.notRegular(file));
        assertEquals(FIFO, FileKinds.notRegular(fifoIn));
        assertEquals(DEVICE, FileKinds.notRegular(Path.of("/dev/null")));
        assertEquals("is a folder", FileKinds.notRegular(dir));
        assertEquals("does not exist", FileKinds.notRegular(dir.resolve("missing")));
        assertTrue(FileKinds.existsButNotRegular(fifoIn));
        assertTrue(!FileKinds.existsButNotRegular(file) && !FileKinds.existsButNotRegular(dir.resolve("missing")));
    }

    @Test
    void theDataLoaderNamesTheKind() {
        DatasetLoader loader = DatasetLoader.builder().build();
        DatasetException e = assertThrows(DatasetException.class, () -> loader.load(fifoIn));
        assertTrue(e.getMessage().contains("cannot load " + fifoIn + ": " + FIFO), e.getMessage());
        e = assertThrows(DatasetException.class, () -> loader.load(Path.of("/dev/null")));
        assertTrue(e.getMessage().contains("cannot load /dev/null: " + DEVICE), e.getMessage());
        e = assertThrows(DatasetException.class, () -> loader.load(dir.resolve("missing.jsonl")));
        assertTrue(e.getMessage().contains("no such file or folder"), e.getMessage());
    }

    @Test
    void modelFilesNameTheKind() throws Exception {
        for (String name : new String[] {"config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors"}) {
            Path model = Files.createDirectories(dir.resolve("model-" + name));
            Path special = fifo(model.resolve(name));
            if (!name.equals("tokenizer.json")) {
                Files.copy(TinyBpe.storedFolder().resolve("tokenizer.json"), model.resolve("tokenizer.json"));
            }
            Exception e;
            if (name.equals("model.safetensors")) {
                e = assertThrows(SafetensorsException.class, () -> ShardedSafetensors.open(model));
            } else if (name.equals("config.json")) {
                e = assertThrows(IOException.class, () -> ModelConfigReader.read(model));
            } else {
                e = assertThrows(IOException.class, () -> Tokenizer.load(model));
            }
            assertTrue(e.getMessage().contains(FIFO), name + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(special.getFileName().toString()), e.getMessage());
        }
        Path prepared = Files.createDirectories(dir.resolve("prepared"));
        Path meta = fifo(prepared.resolve(PreparedDataset.METADATA_FILE));
        assertEquals(meta + ": " + FIFO,
                assertThrows(IOException.class, () -> PreparedDataset.load(prepared)).getMessage());
        IOException e = assertThrows(IOException.class, () -> ModelConfigReader.read(Path.of("/dev/null")));
        assertEquals("/dev/null: " + DEVICE, e.getMessage());
    }
}
