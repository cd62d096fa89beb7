package io.jtune.finetune.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in metrics, the metric-list parser and the refusal detector. */
class MetricsTest {
    static EvalCase kase(String question, String answer, Map<String, String> tags) {
        return new EvalCase("c", new Example(List.of(new Message("user", question), new Message("assistant", answer)),
                Map.of(), null), tags);
    }

    static Prediction said(String text) {
        return new Prediction(text, 5, 100, Double.NaN, 0);
    }

    @Test
    void verdictAccuracyReadsTheVerdictLines() {
        Metric v = Metrics.verdict();
        EvalCase pass = kase("q", "Facts: x\nVerdict: COMPLIANT", Map.of());
        EvalCase fail = kase("q", "Verdict: NON-COMPLIANT \u2014 the cap is too low", Map.of());
        assertEquals(1.0, v.score(pass, said("Verdict: COMPLIANT")));
        assertEquals(0.0, v.score(pass, said("Verdict: NON-COMPLIANT \u2014 no")));
        assertEquals(0.0, v.score(fail, said("I think it is fine")), "no verdict line is wrong");
        assertEquals(1.0, v.score(fail, said("Verdict: NON-COMPLIANT \u2014 other reason")));
        assertTrue(Double.isNaN(v.score(kase("q", "no verdict here", Map.of()), said("Verdict: COMPLIANT"))));
    }

    @Test
    void jsonValidityAcceptsOneValueOrOneFencedValue() {
        assertTrue(Metrics.isJson("{\"a\": [1, 2]}"));
        assertTrue(Metrics.isJson("```json\n{\"a\": 1}\n```"));
        assertTrue(Metrics.isJson(" 42 "));
        assertFalse(Metrics.isJson("{\"a\": 1} trailing"));
        assertFalse(Metrics.isJson("{\"a\": 1, \"a\": 2}"), "duplicate keys");
        assertFalse(Metrics.isJson("{'a': 1}"));
        assertFalse(Metrics.isJson(""));
    }

    @Test
    void regexFindsTheFormatAndBadPatternsAreNamed() {
        Metric m = Metrics.regex("^Facts:.*Verdict: (COMPLIANT|NON-COMPLIANT)");
        EvalCase c = kase("q", "a", Map.of());
        assertEquals(1.0, m.score(c, said("Facts: a\nRule: b\nVerdict: COMPLIANT")));
        assertEquals(0.0, m.score(c, said("Rule: b\nVerdict: COMPLIANT")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.regex("(unclosed"));
        assertTrue(e.getMessage().contains("regex:(unclosed"), e.getMessage());
    }

    @Test
    void refusalIsRightWhenTheAnswerDeclinesExactlyWhenItShould() {
        Metric r = Metrics.refusal();
        EvalCase missing = kase("Is this clause compliant?", "I cannot tell: no clause was given.",
                Map.of(EvalCase.EXPECT, EvalCase.REFUSAL));
        EvalCase normal = kase("Is the cap of $5 compliant?", "Verdict: COMPLIANT", Map.of());
        assertEquals(1.0, r.score(missing, said("I cannot answer without the clause text.")));
        assertEquals(0.0, r.score(missing, said("Verdict: COMPLIANT")));
        assertEquals(1.0, r.score(normal, said("Verdict: COMPLIANT")));
        assertEquals(0.0, r.score(normal, said("There is not enough information to decide.")));
        assertTrue(Refusals.isRefusal("Please provide the clause."));
        assertFalse(Refusals.isRefusal("Facts: the notice period is 30 days.\nVerdict: COMPLIANT"));
        assertFalse(Refusals.isRefusal("x".repeat(400) + " I cannot"), "only the start of an answer counts");
    }

    @Test
    void theMetricListParsesNamesAndRefusesUnknownOnes() {
        List<Metric> m = Metrics.parse("em, f1,rougeL,verdict,json,regex:^V,refusal,loss,latency");
        assertEquals(List.of("exact_match", "token_f1", "rougeL", "verdict_accuracy", "json_valid", "format:^V",
                "refusal_correct", "loss", "latency_ms"), m.stream().map(Metric::name).toList());
        assertFalse(m.get(7).higherIsBetter());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.parse("em,bleu"));
        assertTrue(e.getMessage().contains("'bleu'") && e.getMessage().contains("rougeL"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.parse(" , "));
    }

    @Test
    void customMetricsAreFunctions() {
        Metric cap = Metric.of("mentions_cap", (c, p) -> p.text().contains("cap") ? 1 : 0);
        assertEquals(1.0, cap.score(kase("q", "a", Map.of()), said("the cap is fine")));
        assertEquals("mentions_cap", cap.name());
    }
}
