package io.jtune.finetune.export;

import ai.djl.ndarray.NDArray;
import io.jtune.finetune.lora.LoraModel;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.DenseWeight;
import io.jtune.finetune.model.Linear;
import io.jtune.finetune.model.WeightStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Merges a LoRA adapter into its base for export: W + scale·B·A in f32 for every adapted
 * projection (PEFT's {@code merge_and_unload}), then every projection still held quantized (NF4)
 * dequantized to f32, so that the model is one plain dense model that any engine can load.
 */
public final class Merger {
    private Merger() {
    }

    /**
     * The merged model and what happened on the way.
     *
     * @param model the plain model (the same object as the adapter's base; the adapter is closed)
     * @param merged how many projections took an adapter
     * @param dequantized how many projections were held quantized and are now f32
     * @param notes what a user should know about the result
     */
    public record Merged(CausalLm model, int merged, int dequantized, List<String> notes) {}

    /**
     * Merges {@code adapter} for good and returns its base as a dense model.
     *
     * @throws IllegalStateException when a merged weight holds NaN or an infinity (nothing is changed
     *     further; the model should be discarded), naming the tensor
     */
    public static Merged merge(LoraModel adapter) {
        int layers = adapter.layers().size();
        CausalLm model = adapter.model();
        int dequantized = (int) model.linears().values().stream().filter(l -> !isDense(l.weight())).count();
        adapter.setEnabled(true);
        adapter.mergeAndUnload(); // an adapted NF4 projection becomes dense here: W dequantized + B·A
        dequantize(model); // and the projections without an adapter here
        checkFinite(model);
        List<String> notes = new ArrayList<>();
        if (dequantized > 0) {
            notes.add(String.format(Locale.ROOT, "the NF4 base was dequantized to f32 (%d projections): the merged"
                    + " weights differ slightly from the quantized ones the adapter was trained against", dequantized));
        }
        return new Merged(model, layers, dequantized, notes);
    }

    /** Replaces every quantized projection of {@code model} with its f32 dequantization; returns how many. */
    public static int dequantize(CausalLm model) {
        int n = 0;
        for (Linear l : model.linears().values()) {
            WeightStorage w = l.weight();
            if (!isDense(w) && l.tiedTo().isEmpty()) {
                NDArray dense = w.dense(model.manager());
                l.replaceWeight(new DenseWeight(dense)).close();
                n++;
            }
        }
        return n;
    }

    /** Refuses a model with a NaN or infinite weight, naming the first such tensor. */
    public static void checkFinite(CausalLm model) {
        for (Map.Entry<String, NDArray> e : model.denseTensors().entrySet()) {
            float[] v = e.getValue().toFloatArray();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new IllegalStateException(e.getKey() + " holds " + v[i] + " at flat index " + i
                            + " after merging; nothing was written (a diverged adapter: retrain with a lower learning"
                            + " rate, or load the last good checkpoint)");
                }
            }
        }
    }

    private static boolean isDense(WeightStorage w) {
        return w instanceof DenseWeight;
    }
}
