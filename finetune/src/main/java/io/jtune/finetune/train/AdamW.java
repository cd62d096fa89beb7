package io.jtune.finetune.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter 2019) as {@code torch.optim.AdamW} computes it, on raw NDArrays:
 * per parameter p with gradient g at step t (from 1),
 * <pre>
 *   p = p·(1 - lr·weight_decay)                      decoupled weight decay
 *   m = β1·m + (1-β1)·g;   v = β2·v + (1-β2)·g²
 *   p = p - lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + eps)
 * </pre>
 * The moment tensors live in this optimizer's own manager (f32, two per parameter) and are created
 * at the first step. Updates run outside any gradient recording, in place.
 */
public final class AdamW implements Optimizer {
    private final Map<String, NDArray> params;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final NDManager manager;
    private final java.util.Set<String> noDecay;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long step;

    /**
     * @param params the tensors to update, by name (the names key the optimizer state)
     * @param owner the manager whose child holds the moments
     */
    public AdamW(Map<String, NDArray> params, double beta1, double beta2, double eps, double weightDecay,
            NDManager owner) {
        this(params, beta1, beta2, eps, weightDecay, java.util.Set.of(), owner);
    }

    /**
     * @param noDecay names of the parameters weight decay is not applied to (transformers' Trainer
     *     leaves out biases and norm weights: {@link #decayExempt})
     */
    public AdamW(Map<String, NDArray> params, double beta1, double beta2, double eps, double weightDecay,
            java.util.Set<String> noDecay, NDManager owner) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("AdamW betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("AdamW eps must be positive, got " + eps);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be at least 0, got " + weightDecay);
        }
        this.params = new LinkedHashMap<>(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.manager = owner.newSubManager();
        this.noDecay = java.util.Set.copyOf(noDecay);
    }

    /**
     * Whether transformers' Trainer exempts a parameter from weight decay
     * ({@code get_decay_parameter_names}): biases and the weights of norm layers.
     */
    public static boolean decayExempt(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return n.contains("bias") || n.contains("layernorm") || n.contains("rmsnorm")
                || n.matches("(.*\\.)?norm(\\..*)?") || n.matches(".*_norm(\\..*)?");
    }

    @Override
    public long steps() {
        return step;
    }

    @Override
    public void step(double lr) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        double stepSize = lr / bc1;
        for (Map.Entry<String, NDArray> e : params.entrySet()) {
            NDArray p = e.getValue();
            try (NDManager tmp = manager.newSubManager()) {
                NDArray g = p.getGradient();
                g.attach(tmp);
                NDArray mt = m.computeIfAbsent(e.getKey(), k -> zerosLike(p));
                NDArray vt = v.computeIfAbsent(e.getKey(), k -> zerosLike(p));
                if (weightDecay != 0 && lr != 0 && !noDecay.contains(e.getKey())) {
                    p.muli(1 - lr * weightDecay);
                }
                // three temporaries per tensor: the gradient's buffer is reused (it is zeroed after the step)
                NDArray g2 = own(g.square(), tmp);
                vt.muli(beta2).addi(g2.muli(1 - beta2));
                mt.muli(beta1).addi(g.muli(1 - beta1));
                NDArray denom = own(vt.sqrt(), tmp).divi(bc2Sqrt).addi(eps);
                p.subi(own(mt.div(denom), tmp).muli(stepSize));
            }
        }
    }

    private NDArray zerosLike(NDArray p) {
        return manager.zeros(p.getShape(), p.getDataType());
    }

    private static NDArray own(NDArray a, NDManager scope) {
        if (a.getManager() != scope) {
            a.attach(scope);
        }
        return a;
    }

    /**
     * Puts saved moments back (from {@link #stateTensors()} of an earlier run) and the step count, so
     * that the next step continues that run exactly.
     */
    public void restore(long steps, Map<String, float[]> firstMoments, Map<String, float[]> secondMoments) {
        for (String k : firstMoments.keySet()) {
            NDArray p = params.get(k);
            if (p == null || secondMoments.get(k) == null) {
                throw new IllegalArgumentException("optimizer state for '" + k + "', which this run does not train");
            }
            NDArray mt = m.computeIfAbsent(k, x -> zerosLike(p));
            NDArray vt = v.computeIfAbsent(k, x -> zerosLike(p));
            if (firstMoments.get(k).length != mt.size() || secondMoments.get(k).length != vt.size()) {
                throw new IllegalArgumentException("optimizer state for '" + k + "' has another size than the tensor");
            }
            mt.set(java.nio.FloatBuffer.wrap(firstMoments.get(k)));
            vt.set(java.nio.FloatBuffer.wrap(secondMoments.get(k)));
        }
        if (!firstMoments.keySet().equals(params.keySet()) && steps > 0) {
            throw new IllegalArgumentException("the optimizer state covers " + firstMoments.keySet().size()
                    + " tensors but the run trains " + params.size());
        }
        this.step = steps;
    }

    @Override
    public long stateBytes() {
        long b = 0;
        for (NDArray a : m.values()) {
            b += a.size() * 4;
        }
        for (NDArray a : v.values()) {
            b += a.size() * 4;
        }
        return b;
    }

    /** exp_avg and exp_avg_sq of each parameter, f32, as {@code NAME.exp_avg} and {@code NAME.exp_avg_sq}. */
    @Override
    public List<io.jtune.finetune.io.safetensors.TensorData> stateTensors() {
        List<io.jtune.finetune.io.safetensors.TensorData> out = new ArrayList<>();
        for (String k : m.keySet()) {
            NDArray mt = m.get(k);
            NDArray vt = v.get(k);
            out.add(io.jtune.finetune.io.safetensors.TensorData.f32(k + ".exp_avg", mt.getShape().getShape(),
                    mt.toFloatArray()));
            out.add(io.jtune.finetune.io.safetensors.TensorData.f32(k + ".exp_avg_sq", vt.getShape().getShape(),
                    vt.toFloatArray()));
        }
        return out;
    }

    @Override
    public void restore(long steps, io.jtune.finetune.io.safetensors.SafetensorsReader r) throws java.io.IOException {
        Map<String, float[]> first = new LinkedHashMap<>();
        Map<String, float[]> second = new LinkedHashMap<>();
        for (String name : r.tensors().keySet()) {
            if (name.endsWith(".exp_avg")) {
                first.put(name.substring(0, name.length() - ".exp_avg".length()), r.readFloats(name));
            } else if (name.endsWith(".exp_avg_sq")) {
                second.put(name.substring(0, name.length() - ".exp_avg_sq".length()), r.readFloats(name));
            } else {
                throw new java.io.IOException(r.file() + ": '" + name + "' is not AdamW state (was the run trained"
                        + " with another optimizer?)");
            }
        }
        try {
            restore(steps, first, second);
        } catch (IllegalArgumentException e) {
            throw new java.io.IOException(r.file() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
