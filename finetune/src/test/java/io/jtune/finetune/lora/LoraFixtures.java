package io.jtune.finetune.lora;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ForwardInput;
import io.jtune.finetune.model.ModelLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/** The golden models and PEFT's golden adapters (finetune/src/test/python/lora/make_lora_golden.py). */
final class LoraFixtures {
    private LoraFixtures() {}

    static Path resource(String path) {
        try {
            return Paths.get(LoraFixtures.class.getResource("/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static CausalLm model(String name) throws IOException {
        return ModelLoader.load(resource("golden/" + name + "/config.json").getParent());
    }

    static Path adapter(String name) {
        return resource("lora/" + name + "/adapter_config.json").getParent();
    }

    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode row) {
        int[] out = new int[row.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = row.get(i).asInt();
        }
        return out;
    }

    /** Flattens nested JSON arrays of numbers. */
    static float[] floats(JsonNode node) {
        java.util.List<Float> out = new java.util.ArrayList<>();
        flatten(node, out);
        float[] f = new float[out.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = out.get(i);
        }
        return f;
    }

    private static void flatten(JsonNode node, java.util.List<Float> out) {
        if (node.isArray()) {
            node.forEach(n -> flatten(n, out));
        } else {
            out.add((float) node.asDouble());
        }
    }

    static float[] logits(CausalLm model, int[] ids) {
        try (NDManager scope = model.manager().newSubManager()) {
            return model.logits(scope, ForwardInput.of(new int[][] {ids}), null).toFloatArray();
        }
    }

    static double maxDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths " + a.length + " and " + b.length);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    /** The loss and gradients of transformers' causal LM loss with labels = ids (shifted by one), mean over tokens. */
    record LossAndGrads(float loss, Map<String, float[]> grads) {}

    static LossAndGrads lossAndGrads(LoraModel lora, int[] ids) {
        CausalLm model = lora.model();
        int v = model.config().vocabSize();
        int n = ids.length - 1;
        int[] targets = new int[n];
        System.arraycopy(ids, 1, targets, 0, n);
        for (NDArray p : lora.trainable().values()) {
            p.setRequiresGradient(true);
        }
        try (NDManager scope = model.manager().newSubManager();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.logits(scope, ForwardInput.of(new int[][] {ids}), null); // [1, T, V]
            NDArray logp = logits.logSoftmax(-1).get("0, :-1, :");                       // [T-1, V]
            NDArray onehot = scope.create(targets).oneHot(v);
            NDArray loss = logp.mul(onehot).sum().neg().div(scope.create((float) n));
            gc.backward(loss);
            Map<String, float[]> grads = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : lora.trainable().entrySet()) {
                grads.put(e.getKey(), e.getValue().getGradient().toFloatArray());
            }
            return new LossAndGrads(loss.getFloat(), grads);
        }
    }
}
