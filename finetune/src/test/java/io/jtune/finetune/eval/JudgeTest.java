package io.jtune.finetune.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.base.BuiltinBase;
import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.tokenize.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** The judge's cache, its score parsing, and a real local model as the judge. */
class JudgeTest {
    @TempDir
    Path dir;

    @Test
    void judgementsAreCachedByJudgeRubricQuestionAndAnswer() throws Exception {
        List<String> asked = new ArrayList<>();
        Path cache = dir.resolve("judge-cache.jsonl");
        Judge j = new Judge("grader", "5: correct and cites the clause.", p -> {
            asked.add(p);
            return p.contains("cap") ? "Score: 4 - cites the cap" : "no idea";
        }, cache);
        Judge.Judgement first = j.score("Is the cap fine?", "Yes, the cap meets the minimum.");
        assertEquals(4.0, first.score());
        assertFalse(first.cached());
        assertTrue(Double.isNaN(j.score("Other?", "Something.").score()), "a reply without a score is NaN");
        assertEquals(2, j.generated());
        Judge again = new Judge("grader", "5: correct and cites the clause.", p -> {
            throw new AssertionError("a cached judgement must not ask the model");
        }, cache);
        assertTrue(again.score("Is the cap fine?", "Yes, the cap meets the minimum.").cached());
        assertEquals(0, again.generated());
        Judge otherRubric = new Judge("grader", "5: short.", p -> "Score: 2", cache);
        assertEquals(2.0, otherRubric.score("Is the cap fine?", "Yes, the cap meets the minimum.").score(),
                "another rubric is another key");
        assertTrue(asked.get(0).contains("Rubric:\n5: correct and cites the clause.") && asked.get(0).contains("Score: N"));
        assertEquals(3, Files.readAllLines(cache).size());
    }

    @Test
    void aLocalModelJudgesAnEvaluationIntoItsOwnTable() throws Exception {
        Path base = Path.of("..", BuiltinBase.RELATIVE);
        try (Tokenizer tok = Tokenizer.load(base); CausalLm lm = ModelLoader.load(base)) {
            EvalCase c = EvalCase.of("c1", new Example(List.of(new Message("user", "What is 2 times USD 40,000?"),
                    new Message("assistant", "USD 80,000")), Map.of(), null));
            EvalResult r = EvalResult.score("base", List.of(c), List.of(new Prediction("USD 80,000", 3, 1, 0.1, 3)),
                    List.of(Metrics.exactMatch()), 1);
            Judge j = Judge.local("jtune-base-1m", lm, tok, "5: the amount is right.", dir.resolve("cache.jsonl"));
            Table t = j.judge(r);
            assertEquals(List.of("id", "judge_score", "judge_reply"), t.columnNames());
            assertEquals(1, t.rowCount());
            assertFalse(t.stringColumn("judge_reply").get(0).isEmpty());
            assertEquals(List.of("exact_match"), r.metrics().stream().map(Metric::name).toList(),
                    "the judge's column is not among the metrics");
            j.judge(r);
            assertEquals(1, j.generated(), "the second pass is served from the cache");
            j.saveRubric(dir.resolve("rubric.txt"));
            assertTrue(Files.readString(dir.resolve("rubric.txt")).contains("5: the amount is right."));
        }
    }
}
