package io.jtune.finetune.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.GenerationConfig;
import io.jtune.finetune.model.Generator;
import io.jtune.finetune.tokenize.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * LLM-as-judge, kept apart from the automatic metrics: another local model reads a rubric, the
 * question and an answer, and replies with {@code Score: N} (1 to 5). Its scores are a column of
 * their own ({@link #judge}), never a {@link Metric}, and the rubric travels with them.
 * Judgements are cached on disk by (judge, rubric, question, answer), so a rerun costs nothing.
 */
public final class Judge {
    private static final Pattern SCORE = Pattern.compile("(?i)score\\s*[:=]\\s*([1-5])\\b");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String rubric;
    private final UnaryOperator<String> complete;
    private final Path cacheFile;
    private final Map<String, JsonNode> cache = new HashMap<>();
    private int generated;

    /**
     * @param name the judge's name (part of the cache key: another judge is asked again)
     * @param rubric what a good answer is, in words, with what each score means
     * @param complete the judge model: prompt text in, reply out
     * @param cacheFile a JSONL file of earlier judgements, created when missing; null for none
     */
    public Judge(String name, String rubric, UnaryOperator<String> complete, Path cacheFile) throws IOException {
        this.name = Objects.requireNonNull(name, "name");
        this.rubric = Objects.requireNonNull(rubric, "rubric");
        this.complete = Objects.requireNonNull(complete, "complete");
        this.cacheFile = cacheFile;
        if (cacheFile != null && Files.isRegularFile(cacheFile)) {
            int line = 0;
            for (String l : Files.readAllLines(cacheFile, StandardCharsets.UTF_8)) {
                line++;
                if (l.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = JSON.readTree(l);
                    cache.put(n.path("key").asText(), n);
                } catch (IOException e) {
                    throw new IOException(cacheFile + ":" + line + ": not a judgement line: " + e.getMessage(), e);
                }
            }
        }
    }

    /** A judge that is a local model, answering greedily through its chat template. */
    public static Judge local(String name, CausalLm model, Tokenizer tok, String rubric, Path cacheFile) throws IOException {
        Generator g = new Generator(model, ids -> tok.decode(ids, true));
        return new Judge(name, rubric, prompt -> {
            int[] ids = tok.encodePrompt(List.of(Map.of("role", "user", "content", prompt)));
            return g.generate(ids, GenerationConfig.greedy(48, tok.eosIds()), null).text();
        }, cacheFile);
    }

    public String name() {
        return name;
    }

    public String rubric() {
        return rubric;
    }

    /** How many judgements needed the model (the rest came from the cache). */
    public int generated() {
        return generated;
    }

    /** The prompt the judge model reads. */
    String prompt(String question, String answer) {
        return "You grade answers. Rubric:\n" + rubric + "\n\nQuestion:\n" + question + "\n\nAnswer to grade:\n" + answer
                + "\n\nReply with one line: Score: N, where N is 1 (worst) to 5 (best).";
    }

    /** One judgement: the score (NaN when the reply holds none) and the judge's reply. */
    public record Judgement(double score, String reply, boolean cached) {}

    public synchronized Judgement score(String question, String answer) {
        String key = key(question, answer);
        JsonNode hit = cache.get(key);
        if (hit != null) {
            return new Judgement(hit.path("score").isNumber() ? hit.path("score").asDouble() : Double.NaN,
                    hit.path("reply").asText(), true);
        }
        String reply = complete.apply(prompt(question, answer));
        generated++;
        Matcher m = SCORE.matcher(reply);
        double score = m.find() ? Integer.parseInt(m.group(1)) : Double.NaN;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("key", key);
        row.put("judge", name);
        row.put("score", Double.isNaN(score) ? null : score);
        row.put("reply", reply);
        JsonNode node = JSON.valueToTree(row);
        cache.put(key, node);
        if (cacheFile != null) {
            try {
                Files.createDirectories(cacheFile.toAbsolutePath().getParent());
                Files.writeString(cacheFile, JSON.writeValueAsString(node) + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(cacheFile + ": cannot record the judgement", e);
            }
        }
        return new Judgement(score, reply, false);
    }

    /**
     * Judges every answer of {@code result}: a table of id, the judge's score and reply, titled
     * with the judge's name; the rubric is {@link #rubric()}, to be saved beside it.
     */
    public Table judge(EvalResult result) {
        StringColumn id = StringColumn.create("id");
        DoubleColumn score = DoubleColumn.create("judge_score");
        StringColumn reply = StringColumn.create("judge_reply");
        for (int i = 0; i < result.cases().size(); i++) {
            Judgement j = score(result.cases().get(i).question(), result.predictions().get(i).text());
            id.append(result.cases().get(i).id());
            score.append(j.score());
            reply.append(j.reply());
        }
        return Table.create("judge " + name + " on " + result.label(), id, score, reply);
    }

    /** Writes the rubric and the judge's name next to judged results ({@code rubric.txt}). */
    public void saveRubric(Path file) throws IOException {
        Files.writeString(file, String.format(Locale.ROOT, "judge: %s%n%n%s%n", name, rubric), StandardCharsets.UTF_8);
    }

    private String key(String question, String answer) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(name, rubric, question, answer)) {
                byte[] b = part.getBytes(StandardCharsets.UTF_8);
                md.update((b.length + ":").getBytes(StandardCharsets.UTF_8));
                md.update(b);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
