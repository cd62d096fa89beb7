package io.jtune.finetune.data.samples;

import java.util.List;

/**
 * The kinds of contract clause the Legal Audit Assistant audits. Each type names the fact that
 * decides its verdict under a {@link LegalPolicy} and any extra facts its clause text mentions.
 */
public enum LegalClauseType {
    LIABILITY_CAP("liability cap", LegalFacts.LIABILITY_CAP, List.of()),
    INDEMNITY("indemnity", LegalFacts.INDEMNITY_CAP, List.of()),
    TERMINATION_NOTICE("termination notice", LegalFacts.NOTICE_DAYS, List.of()),
    CONFIDENTIALITY_TERM("confidentiality term", LegalFacts.CONFIDENTIALITY_MONTHS, List.of()),
    GOVERNING_LAW("governing law", LegalFacts.JURISDICTION, List.of()),
    PAYMENT_TERMS("payment terms", LegalFacts.PAYMENT_DAYS, List.of()),
    AUTO_RENEWAL("automatic renewal", LegalFacts.RENEWAL_MONTHS, List.of(LegalFacts.OPT_OUT_DAYS)),
    DATA_PROTECTION("data protection", LegalFacts.BREACH_HOURS, List.of());

    private final String label;
    private final String decisiveFact;
    private final List<String> extraFacts;

    LegalClauseType(String label, String decisiveFact, List<String> extraFacts) {
        this.label = label;
        this.decisiveFact = decisiveFact;
        this.extraFacts = extraFacts;
    }

    /** Lower-case name used in prose, e.g. {@code "liability cap"}. */
    public String label() {
        return label;
    }

    /** Key of the fact whose value decides the verdict. */
    public String decisiveFact() {
        return decisiveFact;
    }

    /** Keys of further facts the clause states that do not decide the verdict. */
    public List<String> extraFacts() {
        return extraFacts;
    }
}
