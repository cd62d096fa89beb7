package io.jtune.finetune.data.samples;

import java.util.Map;

/**
 * Writes the assistant's analysis of one clause: the relevant facts, the policy rule, the comparison
 * of the two, and the verdict line, each on its own line in a fixed order.
 */
public final class LegalAnalysisWriter {
    private final LegalPolicy policy;

    /** A writer that argues from {@code policy}. */
    public LegalAnalysisWriter(LegalPolicy policy) {
        this.policy = policy;
    }

    /** The analysis of a {@code type} clause with {@code facts}, ending in the policy's verdict line. */
    public String analysis(LegalClauseType type, Map<String, String> facts) {
        return reasoning(type, facts) + "\n" + policy.evaluate(type, facts).line();
    }

    /** The Facts, Rule and Comparison lines of the analysis, without the verdict line. */
    String reasoning(LegalClauseType type, Map<String, String> facts) {
        boolean ok = policy.evaluate(type, facts).compliant();
        Map<String, String> shown = LegalFacts.display(facts);
        return "Facts: " + LegalFacts.fill(factsSentence(type), shown) + "\n"
                + "Rule: " + policy.ruleText(type) + "\n"
                + "Comparison: " + comparison(type, facts, shown, ok);
    }

    static String factsSentence(LegalClauseType type) {
        switch (type) {
            case LIABILITY_CAP:
                return "The clause caps {supplier}'s total liability at {liabilityCap}; the contract value is {contractValue}.";
            case INDEMNITY:
                return "{supplier} indemnifies {customer} against third-party claims up to {indemnityCap}; the contract value is {contractValue}.";
            case TERMINATION_NOTICE:
                return "Either party may terminate for convenience on {noticeDays}' written notice.";
            case CONFIDENTIALITY_TERM:
                return "Confidentiality obligations continue for {confidentialityMonths} after the agreement ends.";
            case GOVERNING_LAW:
                return "The agreement between {supplier} and {customer} is governed by the laws of {jurisdiction}.";
            case PAYMENT_TERMS:
                return "{customer} must pay {supplier}'s invoices within {paymentDays}.";
            case AUTO_RENEWAL:
                return "The agreement renews automatically for terms of {renewalMonths}, with {optOutDays}' notice needed to stop a renewal.";
            case DATA_PROTECTION:
                return "{supplier} must notify {customer} of a personal data breach within {breachHours}.";
            default:
                throw new IllegalArgumentException(type.toString());
        }
    }

    private String comparison(LegalClauseType type, Map<String, String> facts, Map<String, String> shown,
            boolean ok) {
        long contractValue = Long.parseLong(facts.get(LegalFacts.CONTRACT_VALUE));
        switch (type) {
            case LIABILITY_CAP: {
                long floor = policy.minLiabilityCapMultiple() * contractValue;
                return "The required minimum is " + LegalFacts.money(floor) + ", and the cap of "
                        + shown.get(LegalFacts.LIABILITY_CAP) + (ok ? " meets it." : " falls short of it.");
            }
            case INDEMNITY: {
                long floor = policy.minIndemnityMultiple() * contractValue;
                return policy.minIndemnityMultiple() + " times the contract value is " + LegalFacts.money(floor)
                        + ", and the indemnity cap of " + shown.get(LegalFacts.INDEMNITY_CAP)
                        + (ok ? " is at least that amount." : " is below that amount.");
            }
            case TERMINATION_NOTICE:
                return shown.get(LegalFacts.NOTICE_DAYS) + (ok ? " is at least " : " is fewer than ")
                        + policy.minTerminationNoticeDays() + " days.";
            case CONFIDENTIALITY_TERM:
                return shown.get(LegalFacts.CONFIDENTIALITY_MONTHS) + (ok ? " is at least " : " is shorter than ")
                        + LegalFacts.months(policy.minConfidentialityMonths()) + ".";
            case GOVERNING_LAW:
                return shown.get(LegalFacts.JURISDICTION) + (ok ? " is " : " is not ")
                        + "on the list of approved jurisdictions.";
            case PAYMENT_TERMS:
                return shown.get(LegalFacts.PAYMENT_DAYS) + (ok ? " is within " : " is longer than ")
                        + "the " + policy.maxPaymentDays() + "-day limit.";
            case AUTO_RENEWAL:
                return "A renewal term of " + shown.get(LegalFacts.RENEWAL_MONTHS)
                        + (ok ? " does not exceed " : " exceeds ") + LegalFacts.months(policy.maxRenewalMonths()) + ".";
            case DATA_PROTECTION:
                return shown.get(LegalFacts.BREACH_HOURS) + (ok ? " is within " : " is longer than ")
                        + "the " + policy.maxBreachNotificationHours() + "-hour limit.";
            default:
                throw new IllegalArgumentException(type.toString());
        }
    }
}
