package io.jtune.finetune.data.samples;

import io.jtune.finetune.data.SourceRef;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LegalAuditSplitTest {
    private static final LegalAuditGenerator GENERATOR = new LegalAuditGenerator();
    private static final LegalAuditSplit SPLIT = GENERATOR.split(11);

    @Test
    void theSplitHasTheDefaultSizesAndItsTrainingPartEqualsPlainGeneration() {
        assertEquals(LegalAuditGenerator.DEFAULT_COUNT, SPLIT.train().size());
        assertEquals(LegalAuditGenerator.DEFAULT_HELD_OUT_COUNT, SPLIT.heldOut().size());
        assertEquals(GENERATOR.generate(11), SPLIT.trainExamples());
        assertEquals(GENERATOR.split(11).heldOutExamples(), SPLIT.heldOutExamples());
        assertEquals(new SourceRef(LegalAuditGenerator.HELD_OUT_SOURCE, 1), SPLIT.heldOut().get(0).example().source());
    }

    @Test
    void heldOutFactValuesNeverOccurInTraining() {
        Map<String, Set<String>> train = valuesByFact(SPLIT.train());
        Map<String, Set<String>> heldOut = valuesByFact(SPLIT.heldOut());
        assertEquals(train.keySet(), heldOut.keySet());
        for (String fact : heldOut.keySet()) {
            assertTrue(Collections.disjoint(train.get(fact), heldOut.get(fact)), fact);
        }
    }

    @Test
    void amountsAndPartiesAreDisjointAcrossRolesToo() {
        Set<String> trainAmounts = values(SPLIT.train(), LegalFacts.CONTRACT_VALUE, LegalFacts.LIABILITY_CAP,
                LegalFacts.INDEMNITY_CAP);
        Set<String> heldAmounts = values(SPLIT.heldOut(), LegalFacts.CONTRACT_VALUE, LegalFacts.LIABILITY_CAP,
                LegalFacts.INDEMNITY_CAP);
        assertTrue(Collections.disjoint(trainAmounts, heldAmounts));
        Set<String> heldParties = values(SPLIT.heldOut(), LegalFacts.SUPPLIER, LegalFacts.CUSTOMER);
        assertTrue(Collections.disjoint(values(SPLIT.train(), LegalFacts.SUPPLIER, LegalFacts.CUSTOMER),
                heldParties));
        for (LegalAuditItem item : SPLIT.train()) {
            String text = item.example().messages().toString();
            for (String party : heldParties) {
                assertFalse(text.contains(party), party);
            }
        }
    }

    @Test
    void thePoolPartitionsAreDisjointAndTogetherMakeThePool() {
        for (String fact : List.of(LegalFacts.SUPPLIER, LegalFacts.CONTRACT_VALUE, LegalFacts.NOTICE_DAYS,
                LegalFacts.CONFIDENTIALITY_MONTHS, LegalFacts.JURISDICTION, LegalFacts.PAYMENT_DAYS,
                LegalFacts.RENEWAL_MONTHS, LegalFacts.OPT_OUT_DAYS, LegalFacts.BREACH_HOURS)) {
            List<String> train = LegalFactPools.values(fact, LegalFactPools.Partition.TRAIN);
            List<String> held = LegalFactPools.values(fact, LegalFactPools.Partition.HELD_OUT);
            assertTrue(Collections.disjoint(train, held), fact);
            Set<String> union = new HashSet<>(train);
            union.addAll(held);
            assertEquals(new HashSet<>(LegalFactPools.allValues(fact)), union, fact);
            assertFalse(held.isEmpty(), fact);
        }
    }

    @Test
    void heldOutItemsCoverEveryClauseTypeAndAgreeWithThePolicy() {
        Set<LegalClauseType> types = SPLIT.heldOut().stream().map(LegalAuditItem::clauseType)
                .collect(Collectors.toSet());
        assertEquals(EnumSet.allOf(LegalClauseType.class), types);
        double share = SPLIT.heldOut().stream().filter(LegalAuditItem::compliant).count()
                / (double) SPLIT.heldOut().size();
        assertEquals(0.5, share, 0.08);
        for (LegalAuditItem item : SPLIT.heldOut()) {
            LegalVerdict expected = GENERATOR.policy().evaluate(item.clauseType(), item.facts());
            assertEquals(expected, LegalVerdict.parse(item.example().fields().get("output")).orElseThrow());
        }
    }

    private static Map<String, Set<String>> valuesByFact(List<LegalAuditItem> items) {
        Map<String, Set<String>> out = new HashMap<>();
        for (LegalAuditItem item : items) {
            item.facts().forEach((k, v) -> out.computeIfAbsent(k, x -> new HashSet<>()).add(v));
        }
        return out;
    }

    private static Set<String> values(List<LegalAuditItem> items, String... facts) {
        Set<String> out = new HashSet<>();
        for (LegalAuditItem item : items) {
            for (String fact : facts) {
                String v = item.facts().get(fact);
                if (v != null) {
                    out.add(v);
                }
            }
        }
        return out;
    }
}
