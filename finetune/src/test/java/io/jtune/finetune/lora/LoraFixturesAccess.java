package io.jtune.finetune.lora;

import com.fasterxml.jackson.databind.JsonNode;

/** Test helpers of this package for tests elsewhere. */
public final class LoraFixturesAccess {
    private LoraFixturesAccess() {}

    /** Flattens nested JSON arrays of numbers. */
    public static float[] floats(JsonNode node) {
        return LoraFixtures.floats(node);
    }
}
