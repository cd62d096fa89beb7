package io.jtune.finetune.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.Linear;
import io.jtune.finetune.model.Parameter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LoRA adapters attached to a {@link CausalLm} (PEFT's {@code get_peft_model}): one
 * {@link LoraLayer} on each targeted projection and, for {@code modules_to_save}, a trained copy
 * of the LM head or embedding. The base weights are frozen.
 *
 * <p>One set of weights gives both models: {@link #disabled()} switches the adapters (and the
 * copies) off for a block, for a before/after comparison or a reference model, without removing
 * them. {@link #merge()} adds them into the weights (inference without the extra products) and
 * {@link #unmerge()} takes them out again. {@link #training(boolean)} turns LoRA dropout on.
 * {@link #save} writes a PEFT adapter folder and {@link #load} reads one, PEFT's or ours.
 *
 * <p>The adapters' tensors live in their own manager under the model's; {@link #close()}
 * detaches everything and frees them, leaving the base model as it was, its trainable flags included
 * (an adapter still merged is unmerged first).
 */
public final class LoraModel implements AutoCloseable {
    /** The prefix PEFT puts before module names in adapter files. */
    public static final String PEFT_PREFIX = "base_model.model.";

    private final CausalLm model;
    private final LoraConfig config;
    private final NDManager manager;
    private final Map<String, LoraLayer> layers;
    private final List<SavedModule> saved;
    private final java.util.Set<String> trainableBefore;
    private volatile boolean enabled = true;
    private boolean closed;

    private LoraModel(CausalLm model, LoraConfig config, NDManager manager, Map<String, LoraLayer> layers,
            List<SavedModule> saved, java.util.Set<String> trainableBefore) {
        this.trainableBefore = trainableBefore;
        this.model = model;
        this.config = config;
        this.manager = manager;
        this.layers = Collections.unmodifiableMap(layers);
        this.saved = List.copyOf(saved);
    }

    /**
     * Attaches new adapters, A and B drawn as {@code config.init()} says from {@code seed}.
     *
     * @throws IllegalArgumentException when no layer matches the targets (naming some that exist),
     *     or a layer already has an adapter
     */
    public static LoraModel attach(CausalLm model, LoraConfig config, long seed) {
        List<Linear> targets = targets(model, config);
        SplittableRandom random = new SplittableRandom(seed);
        NDManager manager = model.manager().newSubManager();
        try {
            Map<String, LoraLayer> layers = new LinkedHashMap<>();
            for (Linear l : targets) {
                int in = (int) l.inFeatures();
                int out = (int) l.outFeatures();
                float[] a = new float[config.r() * in];
                float[] b = new float[out * config.r()];
                switch (config.init()) {
                    case KAIMING -> uniform(random, a, 1 / Math.sqrt(in));
                    case GAUSSIAN -> gaussian(random, a, 1.0 / config.r());
                    case RANDOM -> {
                        uniform(random, a, 1 / Math.sqrt(in));
                        uniform(random, b, 1 / Math.sqrt(config.r()));
                    }
                }
                layers.put(l.name(), new LoraLayer(l, manager.create(a, new Shape(config.r(), in)),
                        manager.create(b, new Shape(out, config.r())), config.scale(), config.dropout(),
                        model.manager()));
            }
            List<SavedModule> saved = new ArrayList<>();
            for (String m : config.modulesToSave()) {
                saved.add(SavedModule.of(m, model, manager, null));
            }
            return wire(model, config, manager, layers, saved);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Reads a PEFT adapter folder ({@code adapter_config.json} and {@code adapter_model.safetensors})
     * and attaches it. Nothing in the model changes when the folder does not fit it.
     *
     * @throws IOException naming the folder and the file, field or tensor that is wrong
     */
    public static LoraModel load(CausalLm model, Path dir) throws IOException {
        try (PeftAdapter adapter = PeftAdapter.read(dir)) {
            return load(model, dir, adapter);
        }
    }

    private static LoraModel load(CausalLm model, Path dir, PeftAdapter adapter) throws IOException {
        LoraConfig config = adapter.config();
        NDManager manager = model.manager().newSubManager();
        try {
            List<Linear> targets = targets(model, config);
            Map<String, LoraLayer> layers = new LinkedHashMap<>();
            for (Linear l : targets) {
                NDArray a = adapter.take(manager, PEFT_PREFIX + l.name() + ".lora_A.weight",
                        config.r(), l.inFeatures());
                NDArray b = adapter.take(manager, PEFT_PREFIX + l.name() + ".lora_B.weight",
                        l.outFeatures(), config.r());
                layers.put(l.name(), new LoraLayer(l, a, b, config.scale(), config.dropout(), model.manager()));
            }
            List<SavedModule> saved = new ArrayList<>();
            for (String m : config.modulesToSave()) {
                String name = m.equals("lm_head") ? "lm_head.weight" : "model.embed_tokens.weight";
                NDArray values = adapter.take(manager, PEFT_PREFIX + name, model.config().vocabSize(),
                        model.config().hiddenSize());
                saved.add(SavedModule.of(m, model, manager, values));
            }
            adapter.checkAllTaken();
            return wire(model, config, manager, layers, saved);
        } catch (IllegalArgumentException e) {
            manager.close();
            throw new IOException(dir + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static LoraModel wire(CausalLm model, LoraConfig config, NDManager manager, Map<String, LoraLayer> layers,
            List<SavedModule> saved) {
        for (LoraLayer l : layers.values()) {
            if (l.target().adapter() != null) {
                throw new IllegalArgumentException(l.module() + " already has an adapter (" + l.target().adapter()
                        + "); close the other LoraModel first");
            }
        }
        java.util.Set<String> before = new java.util.HashSet<>();
        for (Parameter p : model.parameters()) {
            if (p.trainable()) {
                before.add(p.name());
            }
        }
        model.freezeAll();
        for (LoraLayer l : layers.values()) {
            l.target().setAdapter(l);
        }
        for (SavedModule s : saved) {
            s.swapIn();
        }
        return new LoraModel(model, config, manager, layers, saved, before);
    }

    private static List<Linear> targets(CausalLm model, LoraConfig config) {
        List<Linear> out = new ArrayList<>();
        Linear head = model.lmHead();
        for (Linear l : model.linears().values()) {
            if (config.targets().matches(l.name(), l == head)) {
                out.add(l);
            }
        }
        if (out.isEmpty()) {
            List<String> some = model.linears().keySet().stream().limit(7).toList();
            throw new IllegalArgumentException("targets " + config.targets() + " match no linear layer of this model;"
                    + " its layers are named like " + String.join(", ", some));
        }
        return out;
    }

    private static void uniform(SplittableRandom random, float[] values, double bound) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
    }

    private static void gaussian(SplittableRandom random, float[] values, double std) {
        for (int i = 0; i < values.length; i += 2) {
            // Box-Muller: two normal draws from two uniforms
            double u = 1 - random.nextDouble();
            double v = random.nextDouble();
            double radius = Math.sqrt(-2 * Math.log(u)) * std;
            values[i] = (float) (radius * Math.cos(2 * Math.PI * v));
            if (i + 1 < values.length) {
                values[i + 1] = (float) (radius * Math.sin(2 * Math.PI * v));
            }
        }
    }

    public CausalLm model() {
        return model;
    }

    public LoraConfig config() {
        return config;
    }

    /** The adapters by module name, in the model's order. */
    public Map<String, LoraLayer> layers() {
        return layers;
    }

    /**
     * What a trainer updates, under the names PEFT saves them with ({@code
     * base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}, {@code
     * base_model.model.lm_head.weight} for a copy in {@code modules_to_save}), in the model's order.
     */
    public Map<String, NDArray> trainable() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (LoraLayer l : layers.values()) {
            out.put(PEFT_PREFIX + l.module() + ".lora_A.weight", l.a());
            out.put(PEFT_PREFIX + l.module() + ".lora_B.weight", l.b());
        }
        for (SavedModule s : saved) {
            out.put(PEFT_PREFIX + s.tensorName(), s.copy());
        }
        return Collections.unmodifiableMap(out);
    }

    /** The trainable and total parameter counts, as PEFT reports them. */
    public TrainableCount count() {
        long base = 0;
        for (Parameter p : model.parameters()) {
            base += p.numel();
        }
        long trainable = 0;
        for (NDArray a : trainable().values()) {
            trainable += a.size();
        }
        return new TrainableCount(trainable, base + trainable);
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Switches the adapters and the trained copies on or off.
     *
     * @throws IllegalStateException to switch off adapters that are merged into the weights
     */
    public synchronized void setEnabled(boolean on) {
        checkOpen();
        if (!on && merged()) {
            throw new IllegalStateException("the adapters are merged into the weights; unmerge() before switching"
                    + " them off");
        }
        for (LoraLayer l : layers.values()) {
            l.setEnabled(on);
        }
        for (SavedModule s : saved) {
            if (on) {
                s.swapIn();
            } else {
                s.swapOut();
            }
        }
        enabled = on;
    }

    /**
     * Switches the adapters off until the returned handle is closed ({@code try (var base =
     * lora.disabled()) { ... }}), as PEFT's {@code with model.disable_adapter():}.
     */
    public AutoCloseable disabled() {
        boolean was = enabled;
        setEnabled(false);
        return new AutoCloseable() {
            @Override
            public void close() {
                setEnabled(was);
            }
        };
    }

    /** LoRA dropout on (training) or off (evaluation, the default). */
    public void training(boolean on) {
        for (LoraLayer l : layers.values()) {
            l.setTraining(on);
        }
    }

    /** Adds every adapter into its weight (W + scale·B·A, f32); the layers then skip the adapter. */
    public synchronized void merge() {
        checkOpen();
        if (!enabled) {
            throw new IllegalStateException("the adapters are switched off; switch them on before merging");
        }
        for (LoraLayer l : layers.values()) {
            l.merge();
        }
    }

    /** Takes every merged adapter back out of its weight. */
    public synchronized void unmerge() {
        checkOpen();
        for (LoraLayer l : layers.values()) {
            l.unmerge();
        }
    }

    public boolean merged() {
        return layers.values().stream().anyMatch(LoraLayer::merged);
    }

    /**
     * PEFT's {@code merge_and_unload}: merges, then detaches the adapters for good, leaving a plain
     * model whose weights include them (trained copies of {@code modules_to_save} become the
     * model's own). This LoraModel is closed afterwards.
     */
    public synchronized CausalLm mergeAndUnload() {
        merge();
        for (LoraLayer l : layers.values()) {
            l.keepMerged();
            l.target().setAdapter(null);
        }
        for (SavedModule s : saved) {
            s.keep();
        }
        model.setTrainable(trainableBefore::contains, true);
        closed = true;
        manager.close();
        return model;
    }

    /** Writes a PEFT adapter folder: {@code adapter_config.json} and {@code adapter_model.safetensors}. */
    public void save(Path dir) throws IOException {
        checkOpen();
        PeftAdapter.write(dir, config, targetNames(), trainable());
    }

    private List<String> targetNames() {
        return List.copyOf(layers.keySet());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this LoraModel is closed");
        }
    }

    /** Detaches every adapter and copy, leaving the base model as it was, and frees their tensors. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        unmerge();
        for (LoraLayer l : layers.values()) {
            if (l.target().adapter() == l) {
                l.target().setAdapter(null);
            }
        }
        for (SavedModule s : saved) {
            s.swapOut();
        }
        model.setTrainable(trainableBefore::contains, true); // the base as it was before attaching
        closed = true;
        manager.close();
    }

    @Override
    public String toString() {
        return "LoRA r=" + config.r() + " alpha=" + config.alpha() + " on " + layers.size() + " layers"
                + (saved.isEmpty() ? "" : " + " + saved.stream().map(SavedModule::module).toList()) + ", " + count();
    }
}
