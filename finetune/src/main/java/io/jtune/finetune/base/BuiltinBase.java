package io.jtune.finetune.base;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the built-in base model lives: the folder {@link #RELATIVE} of the jtune checkout, which the
 * repository ships and {@code ./jtune base-model build} rebuilds. The system property
 * {@code jtune.base.model} or the environment variable {@code JTUNE_BASE_MODEL} point elsewhere.
 */
public final class BuiltinBase {
    /** The shipped folder, relative to the checkout's root. */
    public static final String RELATIVE = "models/jtune-base-1m";

    private BuiltinBase() {}

    /** The checkout's copy of the model: under the launcher's folder when known, else the working directory. */
    public static Path defaultFolder() {
        String launcher = System.getProperty("jtune.launcher");
        Path root = launcher != null && Path.of(launcher).getParent() != null ? Path.of(launcher).getParent() : Path.of("");
        return root.resolve(RELATIVE);
    }

    /** The folders looked at, in order. */
    public static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String prop = System.getProperty("jtune.base.model");
        if (prop != null && !prop.isBlank()) {
            out.add(Path.of(prop));
        }
        String env = System.getenv("JTUNE_BASE_MODEL");
        if (env != null && !env.isBlank()) {
            out.add(Path.of(env));
        }
        out.add(defaultFolder());
        out.add(Path.of(RELATIVE));
        return out;
    }

    /** The first candidate that holds a config.json and weights. */
    public static Optional<Path> find() {
        for (Path p : candidates()) {
            if (Files.isRegularFile(p.resolve("config.json")) && Files.isRegularFile(p.resolve("model.safetensors"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@link #find()}, or an error that says where it looked and how to build it. */
    public static Path require() {
        return find().orElseThrow(() -> new IllegalStateException(notFound()));
    }

    /** Where it was looked for and how to build it, for the error when it is not found. */
    public static String notFound() {
        return "the built-in base model is not found (looked in " + candidates() + "); build it with ./jtune base-model build";
    }
}
