package io.jtune.finetune.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.jtune.finetune.io.safetensors.SafetensorsException;
import io.jtune.finetune.io.safetensors.SafetensorsReader;
import io.jtune.finetune.io.safetensors.SafetensorsWriter;
import io.jtune.finetune.io.safetensors.TensorData;
import io.jtune.finetune.io.safetensors.TensorInfo;
import io.jtune.finetune.json.PythonJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A PEFT LoRA adapter folder, as {@code PeftModel.save_pretrained} writes it and
 * {@code PeftModel.from_pretrained} reads it:
 * <ul>
 *   <li>{@code adapter_config.json}: {@code peft_type} LORA, {@code task_type} CAUSAL_LM, {@code r},
 *       {@code lora_alpha}, {@code lora_dropout}, {@code target_modules} (a list of names or a regex
 *       string), {@code use_rslora}, {@code bias}, {@code init_lora_weights}, {@code modules_to_save},
 *       {@code base_model_name_or_path}, {@code fan_in_fan_out} false, written as Python's
 *       {@code json.dumps(indent=2, sort_keys=True)} writes them;</li>
 *   <li>{@code adapter_model.safetensors}: {@code base_model.model.<module>.lora_A.weight} [r, in]
 *       and {@code ...lora_B.weight} [out, r] for each adapted module, and
 *       {@code base_model.model.<tensor>} for each module of {@code modules_to_save} (e.g.
 *       {@code base_model.model.lm_head.weight}).</li>
 * </ul>
 * Reading accepts f32, f16 and bf16 tensors (widened to f32) and refuses, naming the field, what
 * jtune cannot apply faithfully (DoRA, per-module ranks, bias training, fan-in-fan-out layers,
 * another PEFT type), rather than loading something that would give other outputs than PEFT.
 * Fields that newer PEFT versions add and that do not change a LoRA's outputs are ignored.
 */
final class PeftAdapter implements AutoCloseable {
    static final String CONFIG = "adapter_config.json";
    static final String WEIGHTS = "adapter_model.safetensors";

    private final LoraConfig config;
    private final SafetensorsReader weights;
    private final Set<String> taken = new LinkedHashSet<>();

    private PeftAdapter(LoraConfig config, SafetensorsReader weights) {
        this.config = config;
        this.weights = weights;
    }

    LoraConfig config() {
        return config;
    }

    static PeftAdapter read(Path dir) throws IOException {
        Path configFile = dir.resolve(CONFIG);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir + ": no such adapter folder");
        }
        if (!Files.isRegularFile(configFile)) {
            String hint = Files.isRegularFile(dir.resolve("adapter_model.bin"))
                    ? " (it has adapter_model.bin, a pickle, which jtune does not read: save it with safetensors)" : "";
            throw new NoSuchFileException(configFile + ": not found; a PEFT adapter folder holds " + CONFIG
                    + " and " + WEIGHTS + hint);
        }
        LoraConfig config = parseConfig(configFile, Files.readString(configFile, StandardCharsets.UTF_8));
        Path weightsFile = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weightsFile)) {
            throw new NoSuchFileException(weightsFile + ": not found next to " + CONFIG);
        }
        return new PeftAdapter(config, SafetensorsReader.open(weightsFile));
    }

    /** Parses adapter_config.json text; errors name the file and the field. */
    static LoraConfig parseConfig(Path file, String text) throws IOException {
        Object parsed;
        try {
            parsed = PythonJson.parse(text);
        } catch (RuntimeException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!(parsed instanceof Map<?, ?> json)) {
            throw new IOException(file + ": expected a JSON object");
        }
        Fields f = new Fields(file, json);
        String type = f.string("peft_type", null);
        if (!"LORA".equals(type)) {
            throw new IOException(file + ": peft_type is " + (type == null ? "missing" : "'" + type + "'")
                    + "; jtune reads LORA adapters");
        }
        String task = f.string("task_type", "CAUSAL_LM");
        if (!"CAUSAL_LM".equals(task)) {
            throw new IOException(file + ": task_type '" + task + "' is not supported; jtune adapts causal language"
                    + " models (CAUSAL_LM)");
        }
        f.requireFalse("use_dora", "DoRA adapters are not supported yet");
        f.requireFalse("fan_in_fan_out", "fan_in_fan_out layers (GPT-2 Conv1D) do not occur in Llama-family models");
        f.requireFalse("lora_bias", "LoRA bias terms are not supported");
        f.requireEmpty("rank_pattern", "per-module ranks are not supported");
        f.requireEmpty("alpha_pattern", "per-module alphas are not supported");
        f.requireNull("layers_to_transform", "adapters on a subset of layers are not supported");
        f.requireNull("layer_replication", "layer replication is not supported");
        f.requireNull("exclude_modules", "exclude_modules is not supported");
        Object targets = json.get("target_modules");
        TargetModules t;
        if (targets instanceof String s) {
            t = s.equals(TargetModules.ALL_LINEAR) ? TargetModules.parse(s) : TargetModules.regex(s);
        } else if (targets instanceof List<?> list && !list.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Object o : list) {
                if (!(o instanceof String s)) {
                    throw new IOException(file + ": target_modules must hold strings, found " + o);
                }
                names.add(s);
            }
            t = TargetModules.names(names);
        } else {
            throw new IOException(file + ": target_modules must be a list of module names or a regex string, found "
                    + targets);
        }
        Object init = json.containsKey("init_lora_weights") ? json.get("init_lora_weights") : Boolean.TRUE;
        List<String> modulesToSave = f.strings("modules_to_save");
        try {
            return new LoraConfig(f.positiveInt("r"), f.number("lora_alpha", 8), f.number("lora_dropout", 0), t,
                    f.bool("use_rslora", false), f.string("bias", "none"), LoraInit.fromPeft(String.valueOf(init)),
                    modulesToSave, f.string("base_model_name_or_path", ""));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The tensor {@code name} as an f32 array of {@code shape} in {@code manager}.
     *
     * @throws IllegalArgumentException naming the file and tensor when it is missing or has another shape
     */
    NDArray take(NDManager manager, String name, long... shape) throws SafetensorsException {
        if (!weights.contains(name)) {
            throw new IllegalArgumentException(weights.file().getFileName() + " has no tensor '" + name
                    + "' although " + CONFIG + " targets that module");
        }
        TensorInfo info = weights.info(name);
        if (!Arrays.equals(info.shape(), shape)) {
            throw new IllegalArgumentException(weights.file().getFileName() + ": tensor '" + name + "' is "
                    + info.shapeText() + " but this model and r = " + config.r() + " need "
                    + Arrays.toString(shape));
        }
        if (!info.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(weights.file().getFileName() + ": tensor '" + name + "' is "
                    + info.dtype().safetensorsName() + "; adapter weights are floating point");
        }
        taken.add(name);
        return manager.create(weights.readFloats(name), new Shape(shape));
    }

    /** Refuses tensors that no module of the model took (an adapter for another model or config). */
    void checkAllTaken() {
        List<String> left = weights.tensors().keySet().stream().filter(n -> !taken.contains(n)).toList();
        if (!left.isEmpty()) {
            throw new IllegalArgumentException(weights.file().getFileName() + " holds tensors that fit no module"
                    + " this config targets in this model: " + String.join(", ", left.stream().limit(5).toList())
                    + (left.size() > 5 ? " and " + (left.size() - 5) + " more" : ""));
        }
    }

    /**
     * Writes the folder (creating it); both files are written whole or not at all.
     *
     * @param modules the adapted module names, recorded as target_modules when the targets were
     *     {@code all-linear} (as PEFT records them)
     * @param tensors every tensor under its saved name, in order
     */
    static void write(Path dir, LoraConfig config, List<String> modules, Map<String, NDArray> tensors)
            throws IOException {
        Files.createDirectories(dir);
        List<TensorData> data = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray a = e.getValue();
            data.add(TensorData.f32(e.getKey(), a.getShape().getShape(), a.toFloatArray()));
        }
        SafetensorsWriter.write(dir.resolve(WEIGHTS), data);
        String json = new PythonJson(false, "  ", null, null, true).write(configJson(config, modules)) + "\n";
        Path tmp = dir.resolve(CONFIG + ".tmp");
        Files.writeString(tmp, json, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(CONFIG), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static Map<String, Object> configJson(LoraConfig c, List<String> modules) {
        Map<String, Object> m = new TreeMap<>();
        m.put("alpha_pattern", Map.of());
        m.put("auto_mapping", null);
        m.put("base_model_name_or_path", c.baseModel().isEmpty() ? null : c.baseModel());
        m.put("bias", c.bias());
        m.put("fan_in_fan_out", false);
        m.put("inference_mode", true);
        m.put("init_lora_weights", switch (c.init()) {
            case KAIMING -> Boolean.TRUE;
            case RANDOM -> Boolean.FALSE;
            case GAUSSIAN -> "gaussian";
        });
        m.put("layers_pattern", null);
        m.put("layers_to_transform", null);
        m.put("lora_alpha", c.alpha() == Math.rint(c.alpha()) ? (Object) (long) c.alpha() : (Object) c.alpha());
        m.put("lora_dropout", c.dropout());
        m.put("modules_to_save", c.modulesToSave().isEmpty() ? null : c.modulesToSave());
        m.put("peft_type", "LORA");
        m.put("r", c.r());
        m.put("rank_pattern", Map.of());
        m.put("revision", null);
        TargetModules t = c.targets();
        m.put("target_modules", t instanceof TargetModules.Names n ? n.names()
                : t instanceof TargetModules.Regex r ? r.pattern().pattern() : modules);
        m.put("task_type", "CAUSAL_LM");
        m.put("use_dora", false);
        m.put("use_rslora", c.rslora());
        return m;
    }

    @Override
    public void close() {
        weights.close();
    }

    /** Typed reads of adapter_config.json fields, errors naming the file and field. */
    private record Fields(Path file, Map<?, ?> json) {
        String string(String name, String fallback) throws IOException {
            Object v = json.get(name);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof String s)) {
                throw new IOException(file + ": " + name + " must be a string, found " + v);
            }
            return s;
        }

        int positiveInt(String name) throws IOException {
            Object v = json.get(name);
            if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.intValue() < 1) {
                throw new IOException(file + ": " + name + " must be a positive integer, found "
                        + (v == null ? "nothing" : v));
            }
            return n.intValue();
        }

        double number(String name, double fallback) throws IOException {
            Object v = json.get(name);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Number n)) {
                throw new IOException(file + ": " + name + " must be a number, found " + v);
            }
            return n.doubleValue();
        }

        boolean bool(String name, boolean fallback) throws IOException {
            Object v = json.get(name);
            if (v == null) {
                return fallback;
            }
            if (!(v instanceof Boolean b)) {
                throw new IOException(file + ": " + name + " must be true or false, found " + v);
            }
            return b;
        }

        List<String> strings(String name) throws IOException {
            Object v = json.get(name);
            if (v == null) {
                return List.of();
            }
            if (!(v instanceof List<?> list) || list.stream().anyMatch(o -> !(o instanceof String))) {
                throw new IOException(file + ": " + name + " must be a list of strings, found " + v);
            }
            return list.stream().map(String.class::cast).toList();
        }

        void requireFalse(String name, String why) throws IOException {
            if (Boolean.TRUE.equals(json.get(name))) {
                throw new IOException(file + ": " + name + " is true: " + why);
            }
        }

        void requireEmpty(String name, String why) throws IOException {
            Object v = json.get(name);
            if (v instanceof Map<?, ?> m && !m.isEmpty()) {
                throw new IOException(file + ": " + name + " is " + v + ": " + why);
            }
        }

        void requireNull(String name, String why) throws IOException {
            Object v = json.get(name);
            if (v != null && !(v instanceof List<?> l && l.isEmpty())) {
                throw new IOException(file + ": " + name + " is " + v + ": " + why);
            }
        }
    }

}
