package io.jtune.finetune.data.samples;

import io.jtune.finetune.data.Example;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One generated legal audit example together with what it was built from: its clause type, the raw
 * facts (keyed as in {@link LegalFacts}) and the verdict the policy gives them.
 */
public record LegalAuditItem(Example example, LegalClauseType clauseType, Map<String, String> facts,
        boolean compliant) {
    public LegalAuditItem {
        facts = Collections.unmodifiableMap(new LinkedHashMap<>(facts));
    }
}
