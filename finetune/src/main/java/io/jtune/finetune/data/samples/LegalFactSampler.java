package io.jtune.finetune.data.samples;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Draws the facts of one clause from one partition of the {@link LegalFactPools} so that the
 * {@link LegalPolicy} gives the wanted verdict: the parties, contract value and extra facts are drawn
 * freely, then the deciding fact from those pool values that lead to the wanted verdict.
 */
public final class LegalFactSampler {
    private static final int MAX_ATTEMPTS = 200;

    private final LegalPolicy policy;
    private final LegalFactPools.Partition partition;

    /** A sampler for {@code policy} that draws only from {@code partition}. */
    public LegalFactSampler(LegalPolicy policy, LegalFactPools.Partition partition) {
        this.policy = policy;
        this.partition = partition;
    }

    /** Facts for a clause of {@code type} whose verdict is {@code compliant}, in a fixed key order. */
    public Map<String, String> sample(LegalClauseType type, boolean compliant, Random random) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Map<String, String> facts = new LinkedHashMap<>();
            String supplier = pick(LegalFacts.SUPPLIER, random);
            String customer = pick(LegalFacts.CUSTOMER, random);
            while (customer.equals(supplier)) {
                customer = pick(LegalFacts.CUSTOMER, random);
            }
            facts.put(LegalFacts.SUPPLIER, supplier);
            facts.put(LegalFacts.CUSTOMER, customer);
            facts.put(LegalFacts.CONTRACT_VALUE, pick(LegalFacts.CONTRACT_VALUE, random));
            for (String extra : type.extraFacts()) {
                facts.put(extra, pick(extra, random));
            }
            String key = type.decisiveFact();
            List<String> fitting = LegalFactPools.values(key, partition).stream()
                    .filter(v -> verdictWith(type, facts, key, v) == compliant)
                    .toList();
            if (!fitting.isEmpty()) {
                facts.put(key, fitting.get(random.nextInt(fitting.size())));
                return Collections.unmodifiableMap(facts);
            }
        }
        throw new IllegalStateException("the " + partition + " pools cannot give a "
                + (compliant ? "compliant " : "non-compliant ") + type.label() + " clause under " + policy);
    }

    private boolean verdictWith(LegalClauseType type, Map<String, String> facts, String key, String value) {
        Map<String, String> trial = new HashMap<>(facts);
        trial.put(key, value);
        return policy.evaluate(type, trial).compliant();
    }

    private String pick(String key, Random random) {
        List<String> values = LegalFactPools.values(key, partition);
        return values.get(random.nextInt(values.size()));
    }
}
