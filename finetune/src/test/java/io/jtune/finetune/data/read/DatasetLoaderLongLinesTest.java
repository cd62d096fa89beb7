package io.jtune.finetune.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jtune.finetune.data.Example;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A line limit raised past Jackson's own string limit (20 million characters) raises that limit too. */
class DatasetLoaderLongLinesTest {
    private static final int LONG = JsonRecordReader.JACKSON_MAX_STRING_LENGTH + 1_000;

    @TempDir
    Path dir;

    private List<Example> load(Path file) {
        return DatasetLoader.builder().maxLineBytes(LONG + 100).build().load(file).train();
    }

    @Test
    void aStringLongerThanJacksonsDefaultLimitIsReadFromJsonLines() throws Exception {
        String completion = "x".repeat(LONG);
        Path file = Files.writeString(dir.resolve("long.jsonl"),
                "{\"prompt\": \"p\", \"completion\": \"" + completion + "\"}\n");
        List<Example> ex = load(file);
        assertEquals(1, ex.size());
        assertEquals(LONG, ex.get(0).fields().get("completion").length());
    }

    @Test
    void aStringLongerThanJacksonsDefaultLimitIsReadFromAJsonArray() throws Exception {
        String completion = "y".repeat(LONG);
        Path file = Files.writeString(dir.resolve("long.json"),
                "[\n{\"prompt\": \"p\", \"completion\": \"" + completion + "\"}\n]\n");
        assertEquals(LONG, load(file).get(0).fields().get("completion").length());
    }
}
