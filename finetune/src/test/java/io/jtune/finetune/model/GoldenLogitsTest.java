package io.jtune.finetune.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logits of tiny Llama, Mistral and Qwen2 models against an independent plain-PyTorch
 * implementation ({@code finetune/src/test/python/reference}, itself checked against transformers
 * to 3e-6). The configs cover GQA and MQA, tied and untied heads, Llama 3 rope scaling, q/k/v
 * biases and a head_dim that is not hidden/heads.
 */
class GoldenLogitsTest {
    private static final double TOLERANCE = 1e-4;

    private static Path golden(String name) throws URISyntaxException {
        return Paths.get(GoldenLogitsTest.class.getResource("/golden/" + name + "/config.json").toURI()).getParent();
    }

    private static int[][] ints(JsonNode rows) {
        int[][] out = new int[rows.size()][];
        for (int r = 0; r < rows.size(); r++) {
            out[r] = new int[rows.get(r).size()];
            for (int i = 0; i < out[r].length; i++) {
                out[r][i] = rows.get(r).get(i).asInt();
            }
        }
        return out;
    }

    private static long[][] longs(JsonNode rows) {
        int[][] i = ints(rows);
        long[][] out = new long[i.length][];
        for (int r = 0; r < i.length; r++) {
            out[r] = java.util.Arrays.stream(i[r]).asLongStream().toArray();
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "llama-tied-rope3", "qwen2", "mistral", "llama-headdim"})
    void logitsOfAPaddedBatchMatchTheReferenceAtEveryRealPosition(String name) throws Exception {
        Path dir = golden(name);
        JsonNode g = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
        int[][] mask = ints(g.get("attention_mask"));
        ForwardInput in = new ForwardInput(longs(g.get("input_ids")), longs(g.get("position_ids")), mask);
        try (CausalLm model = ModelLoader.load(dir); NDManager scope = model.manager().newSubManager()) {
            int v = model.config().vocabSize();
            float[] logits = model.logits(scope, in, null).toFloatArray();
            double worst = 0;
            for (int b = 0; b < mask.length; b++) {
                for (int t = 0; t < mask[b].length; t++) {
                    if (mask[b][t] == 0) {
                        continue; // padding positions mean nothing
                    }
                    JsonNode expected = g.get("logits").get(b).get(t);
                    for (int k = 0; k < v; k++) {
                        double diff = Math.abs(logits[(b * mask[b].length + t) * v + k] - expected.get(k).asDouble());
                        worst = Math.max(worst, diff);
                    }
                }
            }
            System.out.printf("%s: max |logit - reference| = %.2e%n", name, worst);
            assertTrue(worst < TOLERANCE, name + ": max |diff| " + worst);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "llama-tied-rope3", "qwen2", "mistral", "llama-headdim"})
    void greedyGenerationWithTheCacheMatchesTheReferenceTokens(String name) throws Exception {
        Path dir = golden(name);
        JsonNode greedy = new ObjectMapper().readTree(dir.resolve("golden.json").toFile()).get("greedy");
        int[] prompt = ints(new ObjectMapper().createArrayNode().add(greedy.get("prompt_ids")))[0];
        int[] expected = ints(new ObjectMapper().createArrayNode().add(greedy.get("new_tokens")))[0];
        try (CausalLm model = ModelLoader.load(dir)) {
            Generator gen = new Generator(model, null);
            int n = greedy.get("max_new_tokens").asInt();
            assertArrayEquals(expected, gen.generate(prompt, GenerationConfig.greedy(n), null).tokens(), "with cache");
            assertArrayEquals(expected, gen.generate(prompt, GenerationConfig.greedy(n).withCache(false), null).tokens(),
                    "without cache");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama-gqa", "qwen2"})
    void eachRowAloneGivesTheReferenceLastLogits(String name) throws Exception {
        Path dir = golden(name);
        JsonNode single = new ObjectMapper().readTree(dir.resolve("golden.json").toFile()).get("single");
        try (CausalLm model = ModelLoader.load(dir); NDManager scope = model.manager().newSubManager()) {
            for (JsonNode row : single) {
                int[] ids = ints(new ObjectMapper().createArrayNode().add(row.get("input_ids")))[0];
                NDArray last = model.lastLogits(scope, ForwardInput.of(new int[][] {ids}), null);
                float[] got = last.toFloatArray();
                assertEquals(row.get("last_logits").size(), got.length);
                for (int k = 0; k < got.length; k++) {
                    assertEquals(row.get("last_logits").get(k).asDouble(), got[k], TOLERANCE, "logit " + k);
                }
            }
        }
    }
}
