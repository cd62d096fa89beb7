package io.jtune.finetune.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.finetune.io.Folders;
import io.jtune.finetune.io.safetensors.SafetensorsReader;
import io.jtune.finetune.io.safetensors.SafetensorsWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run folder as transformers' Trainer lays it out:
 * <pre>
 *   metrics.jsonl                 one JSON object per logged step or evaluation, appended as they happen
 *   checkpoint-N/                 the trained weights (a PEFT adapter folder, or model.safetensors),
 *     optimizer.safetensors       the optimizer's state per tensor, e.g. AdamW's exp_avg and exp_avg_sq (metadata: step)
 *     scheduler.json              the schedule and the step it is at
 *     rng_state.json              the seeds the data order and dropout are drawn from
 *     trainer_state.json          global_step, epoch, log_history, best_metric, best_model_checkpoint
 * </pre>
 * transformers keeps optimizer, scheduler and RNG state as pickles (optimizer.pt, scheduler.pt,
 * rng_state.pth); jtune writes the same information as safetensors and JSON, which need no Python to
 * read. Each checkpoint is written into a temporary folder and renamed, so a crash leaves no
 * half-written checkpoint.
 */
final class RunFiles {
    static final String METRICS = "metrics.jsonl";
    private static final Pattern CHECKPOINT = Pattern.compile("checkpoint-(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper LINE = new ObjectMapper();

    private final Path out;
    private TensorBoardWriter tensorBoard;

    RunFiles(Path out) throws IOException {
        this.out = out;
        Files.createDirectories(out);
    }

    /** Also writes each logged record's numbers as TensorBoard scalars under {@code runs/} (as transformers does). */
    void reportToTensorBoard() throws IOException {
        if (tensorBoard == null) {
            tensorBoard = new TensorBoardWriter(out.resolve("runs"));
        }
    }

    void close() throws IOException {
        if (tensorBoard != null) {
            tensorBoard.close();
            tensorBoard = null;
        }
    }

    Path folder() {
        return out;
    }

    /** Appends one line to metrics.jsonl. */
    void log(Map<String, Object> record) {
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve(METRICS), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write(LINE.writeValueAsString(record));
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(out.resolve(METRICS) + ": " + e.getMessage(), e);
        }
        if (tensorBoard != null) {
            Map<String, Double> scalars = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : record.entrySet()) {
                String k = e.getKey();
                if (e.getValue() instanceof Number n && !k.equals("step") && !k.equals("epoch")) {
                    scalars.put(k.startsWith("eval_") ? "eval/" + k.substring(5) : "train/" + k, n.doubleValue());
                }
            }
            try {
                tensorBoard.scalars(((Number) record.get("step")).longValue(), scalars);
            } catch (IOException e) {
                throw new UncheckedIOException(tensorBoard.file() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The state a checkpoint records besides the weights. */
    record State(long globalStep, double epoch, long maxSteps, double bestMetric, String bestCheckpoint,
            int patienceCounter, List<Map<String, Object>> logHistory) {}

    /** Writes checkpoint-{step}/ whole, then keeps the newest {@code keepLast} (and the best). */
    Path checkpoint(TrainTarget target, Optimizer optimizer, State state, TrainConfig config, long warmup, int keepLast)
            throws IOException {
        Path dir = out.resolve("checkpoint-" + state.globalStep());
        Path tmp = out.resolve(".tmp-checkpoint-" + state.globalStep());
        deleteTree(tmp);
        Files.createDirectories(tmp);
        target.save(tmp);
        SafetensorsWriter.write(tmp.resolve("optimizer.safetensors"), optimizer.stateTensors(),
                Map.of("step", Long.toString(optimizer.steps())));
        ObjectNode sched = JSON.createObjectNode();
        sched.put("lr_scheduler_type", config.schedule().name().toLowerCase());
        sched.put("learning_rate", config.learningRate());
        sched.put("warmup_steps", warmup);
        sched.put("total_steps", state.maxSteps());
        sched.put("last_step", state.globalStep());
        JSON.writeValue(tmp.resolve("scheduler.json").toFile(), sched);
        ObjectNode rng = JSON.createObjectNode();
        rng.put("seed", config.seed());
        rng.put("data_order", "each epoch e: java.util.Collections.shuffle with new Random(seed * 1000003 + e)"
                + (config.shuffle() ? "" : " (shuffle off: examples in the given order)"));
        rng.put("dropout", "before step s (1-based): the engine's generator seeded with seed * 1000003 + s");
        JSON.writeValue(tmp.resolve("rng_state.json").toFile(), rng);
        JSON.writeValue(tmp.resolve("trainer_state.json").toFile(), trainerState(state, config));
        deleteTree(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        rotate(keepLast, state.bestCheckpoint());
        return dir;
    }

    private static ObjectNode trainerState(State s, TrainConfig config) {
        ObjectNode n = JSON.createObjectNode();
        n.put("global_step", s.globalStep());
        n.put("epoch", s.epoch());
        n.put("max_steps", s.maxSteps());
        n.put("num_train_epochs", config.epochs());
        n.put("train_batch_size", config.microBatch());
        n.put("gradient_accumulation_steps", config.accumulation());
        if (Double.isFinite(s.bestMetric())) {
            n.put("best_metric", s.bestMetric());
        } else {
            n.putNull("best_metric");
        }
        if (s.bestCheckpoint() != null) {
            n.put("best_model_checkpoint", s.bestCheckpoint());
        } else {
            n.putNull("best_model_checkpoint");
        }
        n.put("early_stopping_patience_counter", s.patienceCounter());
        ArrayNode history = n.putArray("log_history");
        for (Map<String, Object> record : s.logHistory()) {
            history.add(JSON.valueToTree(record));
        }
        return n;
    }

    /** Reads a checkpoint's trainer_state.json. */
    static State readState(Path checkpoint) throws IOException {
        Path file = checkpoint.resolve("trainer_state.json");
        if (!Files.isRegularFile(file)) {
            throw new IOException(checkpoint + ": not a checkpoint (no trainer_state.json)");
        }
        JsonNode n = JSON.readTree(file.toFile());
        List<Map<String, Object>> history = new ArrayList<>();
        for (JsonNode h : n.path("log_history")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.convertValue(h, LinkedHashMap.class);
            history.add(m);
        }
        JsonNode best = n.get("best_metric");
        JsonNode bestDir = n.get("best_model_checkpoint");
        return new State(n.path("global_step").asLong(), n.path("epoch").asDouble(), n.path("max_steps").asLong(),
                best == null || best.isNull() ? Double.NaN : best.asDouble(),
                bestDir == null || bestDir.isNull() ? null : bestDir.asText(),
                n.path("early_stopping_patience_counter").asInt(), history);
    }

    /** Reads optimizer.safetensors into {@code optimizer}. */
    static void restoreOptimizer(Path checkpoint, Optimizer optimizer) throws IOException {
        try (SafetensorsReader r = SafetensorsReader.open(checkpoint.resolve("optimizer.safetensors"))) {
            optimizer.restore(Long.parseLong(r.metadata().getOrDefault("step", "0")), r);
        }
    }

    /** The checkpoints in the folder, oldest first. */
    List<Path> checkpoints() throws IOException {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .sorted(Comparator.comparingLong(RunFiles::stepOf))
                    .toList();
        }
    }

    static long stepOf(Path checkpoint) {
        Matcher m = CHECKPOINT.matcher(checkpoint.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    private void rotate(int keepLast, String best) throws IOException {
        if (keepLast <= 0) {
            return;
        }
        List<Path> all = checkpoints();
        for (int i = 0; i < all.size() - keepLast; i++) {
            Path p = all.get(i);
            if (best == null || !p.toAbsolutePath().normalize().equals(Path.of(best).toAbsolutePath().normalize())) {
                deleteTree(p);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        Folders.deleteTree(dir);
    }
}
