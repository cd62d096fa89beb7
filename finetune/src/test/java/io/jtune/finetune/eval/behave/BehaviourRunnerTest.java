package io.jtune.finetune.eval.behave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.base.BuiltinBase;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.ModelLoader;
import io.jtune.finetune.tokenize.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The behavioural assertions fail when they should, and the runner tables a class per model. */
class BehaviourRunnerTest {
    static final String SUM = "What is 3 times USD 1,000?";
    static CausalLm model;
    static Tokenizer tok;

    /** A behavioural test class as a user writes it (nested, so surefire does not run it on its own). */
    static class Behaviour {
        @Test
        void answersArithmetic() {
            ModelUnderTest.get().assertAnswers(SUM).assertMatches(SUM, "\\S");
        }

        @Test
        void speaksKlingon() {
            ModelUnderTest.get().assertContains(SUM, "Qapla'");
        }
    }

    @BeforeAll
    static void load() throws Exception {
        Path base = Path.of("..", BuiltinBase.RELATIVE);
        model = ModelLoader.load(base);
        tok = Tokenizer.load(base);
    }

    @AfterAll
    static void close() {
        tok.close();
        model.close();
    }

    @Test
    void assertionsPassOnWhatTheModelDoesAndFailWithTheQuestionAndTheAnswer() {
        ModelAssertions m = new ModelAssertions("base", model, tok, Optional.empty(), 24);
        String answer = m.answer(SUM);
        assertEquals(answer, m.answer(SUM), "greedy and cached");
        m.assertAnswers(SUM).assertMatches(SUM, "\\S").assertContains(SUM, answer.substring(0, 3));
        AssertionError e = assertThrows(AssertionError.class, () -> m.assertRefuses(SUM));
        assertTrue(e.getMessage().startsWith("base: expected to decline") && e.getMessage().contains(SUM)
                && e.getMessage().contains(answer.strip().lines().findFirst().orElseThrow()), e.getMessage());
        assertThrows(AssertionError.class, () -> m.assertJson(SUM));
        assertThrows(AssertionError.class, () -> m.assertMatches(SUM, "^Qapla'$"));
        assertThrows(AssertionError.class, () -> m.assertVerdict(SUM, true), "no verdict line in an arithmetic answer");
    }

    @Test
    void theRunnerRunsTheClassOncePerModelAndTablesTheOutcomes() {
        ModelAssertions a = new ModelAssertions("base", model, tok, Optional.empty(), 24);
        ModelAssertions b = new ModelAssertions("base, 8 tokens", model, tok, Optional.empty(), 8);
        BehaviourRunner.Report r = BehaviourRunner.run(Behaviour.class, List.of(a, b));
        assertEquals(4, r.outcomes().size(), r.outcomes().toString());
        assertEquals(1, r.failures("base"));
        assertEquals(1, r.failures("base, 8 tokens"));
        assertEquals(List.of("test", "base", "base, 8 tokens"), r.table().columnNames());
        assertEquals("PASSED", r.table().stringColumn("base").get(r.table().stringColumn("test").indexOf("answersArithmetic()")));
        assertTrue(r.failuresText().contains("expected to contain \"Qapla'\""), r.failuresText());
        assertThrows(IllegalStateException.class, ModelUnderTest::get, "outside the runner, without properties");
    }

    /** What a user's {@code mvn test -Djtune.test.model=DIR} does: the class finds its model in the properties. */
    @Test
    void withoutTheRunnerTheModelComesFromSystemProperties() {
        System.setProperty("jtune.test.model", Path.of("..", BuiltinBase.RELATIVE).toString());
        System.setProperty("jtune.test.max_new_tokens", "12");
        try {
            ModelAssertions m = ModelUnderTest.get();
            assertEquals("jtune-base-1m", m.name());
            assertEquals(m, ModelUnderTest.get(), "loaded once");
            new Behaviour().answersArithmetic();
            assertThrows(AssertionError.class, () -> new Behaviour().speaksKlingon());
        } finally {
            System.clearProperty("jtune.test.model");
            System.clearProperty("jtune.test.max_new_tokens");
            ModelUnderTest.forget();
        }
    }
}
