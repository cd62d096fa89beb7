package io.jtune.finetune.eval.behave;

import io.jtune.finetune.data.samples.LegalVerdict;
import io.jtune.finetune.eval.Metrics;
import io.jtune.finetune.eval.Refusals;
import io.jtune.finetune.model.CausalLm;
import io.jtune.finetune.model.GenerationConfig;
import io.jtune.finetune.model.Generator;
import io.jtune.finetune.tokenize.Tokenizer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Assertions on a model's behaviour, for ordinary JUnit 5 test classes: each asks the model a
 * question (as a user turn through its chat template, greedy, so the answer is the same on every
 * run) and fails with the question and the answer when the behaviour is not there. Answers are
 * cached per question, so several assertions on one question cost one generation.
 *
 * <pre>{@code
 * @Test void refusesWithoutAClause() {
 *     ModelUnderTest.get().assertRefuses("Is the clause compliant?");
 * }
 * }</pre>
 */
public final class ModelAssertions {
    private final String name;
    private final CausalLm model;
    private final Tokenizer tokenizer;
    private final Optional<String> system;
    private final int maxNewTokens;
    private final Map<String, String> answers = new ConcurrentHashMap<>();

    /**
     * @param name how the model is called in failures and tables ("base", "tuned")
     * @param system a system prompt sent before every question (the one training used), or empty
     */
    public ModelAssertions(String name, CausalLm model, Tokenizer tokenizer, Optional<String> system, int maxNewTokens) {
        this.name = name;
        this.model = model;
        this.tokenizer = tokenizer;
        this.system = system;
        this.maxNewTokens = maxNewTokens;
    }

    public String name() {
        return name;
    }

    /** The model's greedy answer to {@code question}. */
    public String answer(String question) {
        return answers.computeIfAbsent(question, q -> {
            List<Map<String, String>> messages = system.isPresent()
                    ? List.of(Map.of("role", "system", "content", system.get()), Map.of("role", "user", "content", q))
                    : List.of(Map.of("role", "user", "content", q));
            int[] ids = tokenizer.encodePrompt(messages);
            return new Generator(model, t -> tokenizer.decode(t, true))
                    .generate(ids, GenerationConfig.greedy(maxNewTokens, tokenizer.eosIds()), null).text();
        });
    }

    /** The model declines ({@link Refusals}): it should when what it needs is missing. */
    public ModelAssertions assertRefuses(String question) {
        String a = answer(question);
        check(Refusals.isRefusal(a), "to decline", question, a);
        return this;
    }

    /** The model answers instead of declining. */
    public ModelAssertions assertAnswers(String question) {
        String a = answer(question);
        check(!Refusals.isRefusal(a), "to answer, not to decline", question, a);
        return this;
    }

    /** The answer is one valid JSON value (a ```json fence around it is allowed). */
    public ModelAssertions assertJson(String question) {
        String a = answer(question);
        check(Metrics.isJson(a), "valid JSON", question, a);
        return this;
    }

    /** {@code regex} is found in the answer ({@code .} matches line ends). */
    public ModelAssertions assertMatches(String question, String regex) {
        String a = answer(question);
        check(Pattern.compile(regex, Pattern.DOTALL).matcher(a).find(), "to match /" + regex + "/", question, a);
        return this;
    }

    public ModelAssertions assertContains(String question, String text) {
        String a = answer(question);
        check(a.contains(text), "to contain \"" + text + "\"", question, a);
        return this;
    }

    /** The answer's verdict line ({@link LegalVerdict#parse}) says COMPLIANT or NON-COMPLIANT as given. */
    public ModelAssertions assertVerdict(String question, boolean compliant) {
        String a = answer(question);
        Optional<LegalVerdict> v = LegalVerdict.parse(a);
        check(v.isPresent() && v.get().compliant() == compliant,
                "the verdict " + (compliant ? "COMPLIANT" : "NON-COMPLIANT"), question, a);
        return this;
    }

    private void check(boolean ok, String expected, String question, String answer) {
        if (!ok) {
            throw new AssertionError(name + ": expected " + expected + "\n  question: " + question + "\n  answer:   "
                    + answer.strip().replace("\n", "\n            "));
        }
    }
}
