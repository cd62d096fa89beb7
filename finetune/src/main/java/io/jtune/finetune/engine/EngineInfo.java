package io.jtune.finetune.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The facts of the engine the models run on: DJL's version, the PyTorch native library (version,
 * flavour such as {@code cpu} or {@code cu124}, and where it was loaded from), the devices it can
 * use and its thread counts. {@link #current()} starts the engine if it has not started yet.
 *
 * @param djlVersion DJL's version, for example {@code 0.35.0}
 * @param engine the engine's name ({@code PyTorch})
 * @param pytorchVersion the native library's version, for example {@code 2.7.1}
 * @param flavour the native build, for example {@code cpu} or {@code cu124}; empty when unknown
 * @param library the loaded libtorch folder; empty when unknown
 * @param devices the devices it can use, the default first
 * @param capabilities the standard capabilities it has ({@code CUDA}, {@code MKL}, ...)
 * @param threads intra-op threads
 * @param interopThreads inter-op threads
 */
public record EngineInfo(String djlVersion, String engine, String pytorchVersion, String flavour, String library,
        List<String> devices, List<String> capabilities, int threads, int interopThreads) {

    public EngineInfo {
        devices = List.copyOf(devices);
        capabilities = List.copyOf(capabilities);
    }

    private static final List<String> CAPABILITIES = List.of(StandardCapabilities.CUDA, StandardCapabilities.CUDNN,
            StandardCapabilities.MKL, StandardCapabilities.MKLDNN, StandardCapabilities.OPENMP);

    /**
     * The native library's version and flavour, e.g. {@code 2.7.1-cpu}, without probing devices
     * (probing for CUDA logs a warning on machines without a GPU driver).
     */
    public static String libtorchVersion() {
        Engine engine = Engine.getEngine("PyTorch");
        String f = flavour(LibUtils.getLibtorchPath(), engine.getVersion());
        return engine.getVersion() + (f.isEmpty() ? "" : "-" + f);
    }

    /** The PyTorch engine's facts, starting it when needed. */
    public static EngineInfo current() {
        Engine engine = Engine.getEngine("PyTorch");
        List<String> devices = new ArrayList<>();
        devices.add(engine.defaultDevice().toString());
        for (Device d : engine.getDevices()) {
            if (!devices.contains(d.toString())) {
                devices.add(d.toString());
            }
        }
        List<String> caps = CAPABILITIES.stream().filter(engine::hasCapability).toList();
        String library = LibUtils.getLibtorchPath();
        return new EngineInfo(Engine.getDjlVersion(), engine.getEngineName(), engine.getVersion(),
                flavour(library, engine.getVersion()), library == null ? "" : library, devices, caps,
                JniUtils.getNumThreads(), JniUtils.getNumInteropThreads());
    }

    /**
     * The flavour in a DJL cache folder name such as {@code 2.7.1-cpu-linux-x86_64},
     * {@code 2.7.1-20250812-cpu-linux-x86_64} or
     * {@code 2.7.1-cu124-linux-x86_64}; empty when the folder does not say.
     */
    static String flavour(String library, String version) {
        if (library == null || library.isBlank()) {
            return "";
        }
        for (Path p = Path.of(library); p != null; p = p.getParent()) {
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (name.startsWith(version + "-")) {
                for (String part : name.substring(version.length() + 1).split("-")) {
                    if (!part.isEmpty() && !part.chars().allMatch(Character::isDigit)) {
                        return part; // the first part that is not a build date (2.7.1-20250812-cpu-...)
                    }
                }
                return "";
            }
        }
        return "";
    }

    /** The facts as aligned {@code name: value} lines. */
    public String text() {
        return String.join("\n", Arrays.asList(
                "DJL:          " + djlVersion,
                "engine:       " + engine + " " + pytorchVersion + (flavour.isEmpty() ? "" : " (" + flavour + ")"),
                "library:      " + (library.isEmpty() ? "(unknown)" : library),
                "devices:      " + String.join(", ", devices),
                "capabilities: " + (capabilities.isEmpty() ? "(none)" : String.join(", ", capabilities)),
                "threads:      " + threads + " intra-op, " + interopThreads + " inter-op"));
    }
}
