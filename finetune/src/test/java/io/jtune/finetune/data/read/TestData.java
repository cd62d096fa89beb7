package io.jtune.finetune.data.read;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Paths of the test corpus under {@code src/test/resources/data}. */
final class TestData {
    private TestData() {
    }

    static Path path(String name) {
        try {
            return Path.of(TestData.class.getResource("/data/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource /data/" + name + " is missing", e);
        }
    }
}
