package io.jtune.finetune.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jtune.finetune.data.batch.PreparedMetadata;
import io.jtune.finetune.engine.EngineInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The reproducibility manifest of a run, {@code run.json} in its folder: the whole configuration,
 * every seed, the SHA-256 of the data files and of the base model's files, and the versions of
 * jtune, DJL, libtorch and the JDK, so a run can be repeated or audited from its folder alone.
 */
public final class RunManifest {
    public static final String FILE = "run.json";

    private RunManifest() {}

    /**
     * Writes run.json into {@code out}.
     *
     * @param settings the run's options as the user gave them (after defaults)
     * @param seeds each seed by what it draws (data order, dropout, adapter init)
     * @param dataFiles the files the examples came from
     * @param modelDir the base model's folder (every regular file in it is hashed)
     */
    public static Path write(Path out, Map<String, Object> settings, Map<String, Long> seeds, List<Path> dataFiles,
            Path modelDir) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "jtune-run-v1");
        m.put("settings", settings);
        m.put("seeds", seeds);
        Map<String, String> data = new LinkedHashMap<>();
        for (Path p : dataFiles) {
            data.put(p.toAbsolutePath().normalize().toString(), sha256(p));
        }
        m.put("data_sha256", data);
        Map<String, String> model = new LinkedHashMap<>();
        if (modelDir != null) {
            try (Stream<Path> files = Files.list(modelDir)) {
                for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                    model.put(p.getFileName().toString(), sha256(p));
                }
            }
            m.put("base_model", modelDir.toAbsolutePath().normalize().toString());
        }
        m.put("base_model_sha256", model);
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("jtune", PreparedMetadata.currentJtuneVersion());
        versions.put("djl", ai.djl.engine.Engine.getDjlVersion());
        versions.put("libtorch", EngineInfo.libtorchVersion());
        versions.put("jdk", System.getProperty("java.vm.name") + " " + Runtime.version());
        m.put("versions", versions);
        Files.createDirectories(out);
        Path file = out.resolve(FILE);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), m);
        return file;
    }

    private static String sha256(Path file) throws IOException {
        return PreparedMetadata.sha256(file);
    }
}
