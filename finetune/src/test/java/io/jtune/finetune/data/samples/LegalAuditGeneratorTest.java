package io.jtune.finetune.data.samples;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.SourceRef;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LegalAuditGeneratorTest {
    private static final LegalAuditGenerator GENERATOR = new LegalAuditGenerator();
    private static final List<LegalAuditItem> ITEMS = GENERATOR.items(LegalAuditGenerator.DEFAULT_COUNT, 42);

    @Test
    void theSameSeedGivesTheSameExamples() {
        assertEquals(GENERATOR.generate(300, 7), GENERATOR.generate(300, 7));
    }

    @Test
    void aDifferentSeedGivesDifferentExamples() {
        List<Example> a = GENERATOR.generate(300, 7);
        List<Example> b = GENERATOR.generate(300, 8);
        assertNotEquals(a, b);
        long same = 0;
        for (int i = 0; i < a.size(); i++) {
            same += a.get(i).equals(b.get(i)) ? 1 : 0;
        }
        assertTrue(same < 10, "too many identical examples: " + same);
    }

    @Test
    void theDefaultCountIsWithinTheFlagshipRangeAndCountsAreExact() {
        assertTrue(LegalAuditGenerator.DEFAULT_COUNT >= 2000 && LegalAuditGenerator.DEFAULT_COUNT <= 5000);
        assertEquals(LegalAuditGenerator.DEFAULT_COUNT, GENERATOR.generate(42).size());
        assertEquals(0, GENERATOR.generate(0, 1).size());
        assertEquals(17, GENERATOR.generate(17, 1).size());
    }

    @Test
    void everyClauseTypeIsPresentInBothVerdicts() {
        Set<LegalClauseType> compliant = ITEMS.stream().filter(LegalAuditItem::compliant)
                .map(LegalAuditItem::clauseType).collect(Collectors.toSet());
        Set<LegalClauseType> failing = ITEMS.stream().filter(i -> !i.compliant())
                .map(LegalAuditItem::clauseType).collect(Collectors.toSet());
        assertEquals(EnumSet.allOf(LegalClauseType.class), compliant);
        assertEquals(EnumSet.allOf(LegalClauseType.class), failing);
    }

    @Test
    void verdictsAreBalancedWithinFivePercent() {
        double share = ITEMS.stream().filter(LegalAuditItem::compliant).count() / (double) ITEMS.size();
        assertEquals(0.5, share, 0.05);
    }

    @Test
    void theVerdictInEveryResponseAgreesWithThePolicyAppliedToTheFacts() {
        LegalPolicy policy = GENERATOR.policy();
        for (LegalAuditItem item : ITEMS) {
            LegalVerdict expected = policy.evaluate(item.clauseType(), item.facts());
            String output = item.example().fields().get("output");
            LegalVerdict parsed = LegalVerdict.parse(output).orElseThrow(() -> new AssertionError(output));
            assertEquals(expected.compliant(), item.compliant());
            assertEquals(expected, parsed, output);
            assertTrue(output.endsWith(expected.line()));
        }
    }

    @Test
    void theClauseAndRequestStateTheFactsTheVerdictDependsOn() {
        for (LegalAuditItem item : ITEMS) {
            String key = item.clauseType().decisiveFact();
            String shown = LegalFacts.display(item.facts()).get(key);
            Example ex = item.example();
            assertTrue(ex.fields().get("input").contains(shown), ex.fields().get("input"));
            assertTrue(ex.fields().get("instruction").contains(
                    LegalFacts.money(Long.parseLong(item.facts().get(LegalFacts.CONTRACT_VALUE)))));
        }
    }

    @Test
    void examplesCarryTheSystemPromptTheClauseAndTheAnalysis() {
        Example ex = ITEMS.get(0).example();
        assertEquals(List.of("system", "user", "assistant"),
                ex.messages().stream().map(Message::role).toList());
        assertEquals(ex.fields().get("instruction") + "\n\n" + ex.fields().get("input"),
                ex.messages().get(1).content());
        assertEquals(ex.fields().get("output"), ex.messages().get(2).content());
        assertEquals(new SourceRef(LegalAuditGenerator.SOURCE, 1), ex.source());
        Example bare = new LegalAuditGenerator(LegalPolicy.standard(), false).generate(1, 3).get(0);
        assertEquals(List.of("user", "assistant"), bare.messages().stream().map(Message::role).toList());
    }

    @Test
    void phrasingVariesAcrossExamplesOfOneClauseType() {
        long wordings = ITEMS.stream().filter(i -> i.clauseType() == LegalClauseType.PAYMENT_TERMS)
                .map(i -> i.example().fields().get("input").substring(0, 12)).distinct().count();
        long requests = ITEMS.stream().map(i -> i.example().fields().get("instruction").substring(0, 10))
                .distinct().count();
        assertTrue(wordings >= 3, "clause wordings: " + wordings);
        assertTrue(requests >= 5, "request wordings: " + requests);
    }

    @Test
    void aStricterPolicyChangesTheVerdictsItDecides() {
        LegalPolicy strict = new LegalPolicy(2, 3, 60, 60, Set.of("Ireland", "Japan"), 30, 6, 24);
        for (LegalAuditItem item : new LegalAuditGenerator(strict, false).items(400, 5)) {
            assertEquals(strict.evaluate(item.clauseType(), item.facts()).compliant(), item.compliant());
            assertEquals(item.compliant(),
                    LegalVerdict.parse(item.example().fields().get("output")).orElseThrow().compliant());
        }
    }
}
