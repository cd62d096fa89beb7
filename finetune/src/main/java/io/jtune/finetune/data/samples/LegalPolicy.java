package io.jtune.finetune.data.samples;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The written contracting policy that decides every audit verdict. Amounts are compared with the
 * contract value: the liability cap must be at least {@code minLiabilityCapMultiple} times it and
 * the indemnity cap at least {@code minIndemnityMultiple} times it.
 *
 * @param minLiabilityCapMultiple a liability cap below this multiple of the contract value violates the policy
 * @param minIndemnityMultiple an indemnity cap below this multiple of the contract value violates the policy
 * @param minTerminationNoticeDays termination notice must be at least this many days
 * @param minConfidentialityMonths confidentiality must last at least this many months
 * @param approvedJurisdictions the governing law must be one of these
 * @param maxPaymentDays invoices must be payable within this many days
 * @param maxRenewalMonths an automatic renewal term may not be longer than this many months
 * @param maxBreachNotificationHours a personal data breach must be notified within this many hours
 */
public record LegalPolicy(
        int minLiabilityCapMultiple,
        int minIndemnityMultiple,
        int minTerminationNoticeDays,
        int minConfidentialityMonths,
        Set<String> approvedJurisdictions,
        int maxPaymentDays,
        int maxRenewalMonths,
        int maxBreachNotificationHours) {

    public LegalPolicy {
        approvedJurisdictions = Set.copyOf(approvedJurisdictions);
    }

    /** The policy the flagship data set is written under. */
    public static LegalPolicy standard() {
        return new LegalPolicy(1, 2, 30, 36,
                Set.of("England and Wales", "New York", "Delaware", "Ireland", "Ontario",
                        "Singapore", "Switzerland", "Sweden", "Scotland", "Illinois"),
                60, 12, 72);
    }

    /** The rule for {@code type}, as one sentence of the analysis. */
    public String ruleText(LegalClauseType type) {
        switch (type) {
            case LIABILITY_CAP:
                return minLiabilityCapMultiple == 1
                        ? "A liability cap below the contract value violates the policy."
                        : "A liability cap below " + minLiabilityCapMultiple
                                + " times the contract value violates the policy.";
            case INDEMNITY:
                return "The indemnity for third-party claims must not be capped below "
                        + minIndemnityMultiple + " times the contract value.";
            case TERMINATION_NOTICE:
                return "Termination notice must be at least " + minTerminationNoticeDays + " days.";
            case CONFIDENTIALITY_TERM:
                return "Confidentiality must last at least " + LegalFacts.months(minConfidentialityMonths)
                        + " after the agreement ends.";
            case GOVERNING_LAW:
                return "The governing law must be one of the approved jurisdictions: "
                        + String.join(", ", new TreeSet<>(approvedJurisdictions)) + ".";
            case PAYMENT_TERMS:
                return "Invoices must be payable within " + maxPaymentDays + " days.";
            case AUTO_RENEWAL:
                return "An automatic renewal term may not exceed " + LegalFacts.months(maxRenewalMonths) + ".";
            case DATA_PROTECTION:
                return "A personal data breach must be notified within " + maxBreachNotificationHours + " hours.";
            default:
                throw new IllegalArgumentException(type.toString());
        }
    }

    /** Applies the rule for {@code type} to {@code facts} (raw values keyed as in {@link LegalFacts}). */
    public LegalVerdict evaluate(LegalClauseType type, Map<String, String> facts) {
        switch (type) {
            case LIABILITY_CAP: {
                long cap = number(facts, LegalFacts.LIABILITY_CAP);
                long floor = minLiabilityCapMultiple * number(facts, LegalFacts.CONTRACT_VALUE);
                return cap >= floor ? LegalVerdict.pass() : LegalVerdict.fail("liability cap of "
                        + LegalFacts.money(cap) + " is below the required " + LegalFacts.money(floor));
            }
            case INDEMNITY: {
                long cap = number(facts, LegalFacts.INDEMNITY_CAP);
                long floor = minIndemnityMultiple * number(facts, LegalFacts.CONTRACT_VALUE);
                return cap >= floor ? LegalVerdict.pass() : LegalVerdict.fail("indemnity cap of "
                        + LegalFacts.money(cap) + " is below the required " + LegalFacts.money(floor));
            }
            case TERMINATION_NOTICE: {
                long days = number(facts, LegalFacts.NOTICE_DAYS);
                return days >= minTerminationNoticeDays ? LegalVerdict.pass() : LegalVerdict.fail(
                        "termination notice of " + days + " days is shorter than the required "
                                + minTerminationNoticeDays + " days");
            }
            case CONFIDENTIALITY_TERM: {
                int months = (int) number(facts, LegalFacts.CONFIDENTIALITY_MONTHS);
                return months >= minConfidentialityMonths ? LegalVerdict.pass() : LegalVerdict.fail(
                        "confidentiality lasts " + LegalFacts.months(months) + ", less than the required "
                                + LegalFacts.months(minConfidentialityMonths));
            }
            case GOVERNING_LAW: {
                String place = text(facts, LegalFacts.JURISDICTION);
                return approvedJurisdictions.contains(place) ? LegalVerdict.pass()
                        : LegalVerdict.fail("the law of " + place + " is not an approved jurisdiction");
            }
            case PAYMENT_TERMS: {
                long days = number(facts, LegalFacts.PAYMENT_DAYS);
                return days <= maxPaymentDays ? LegalVerdict.pass() : LegalVerdict.fail(
                        "payment within " + days + " days exceeds the " + maxPaymentDays + "-day limit");
            }
            case AUTO_RENEWAL: {
                int months = (int) number(facts, LegalFacts.RENEWAL_MONTHS);
                return months <= maxRenewalMonths ? LegalVerdict.pass() : LegalVerdict.fail(
                        "renewal term of " + LegalFacts.months(months) + " exceeds the limit of "
                                + LegalFacts.months(maxRenewalMonths));
            }
            case DATA_PROTECTION: {
                long hours = number(facts, LegalFacts.BREACH_HOURS);
                return hours <= maxBreachNotificationHours ? LegalVerdict.pass() : LegalVerdict.fail(
                        "breach notification within " + hours + " hours exceeds the "
                                + maxBreachNotificationHours + "-hour limit");
            }
            default:
                throw new IllegalArgumentException(type.toString());
        }
    }

    private static long number(Map<String, String> facts, String key) {
        return Long.parseLong(text(facts, key));
    }

    private static String text(Map<String, String> facts, String key) {
        String v = facts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing fact '" + key + "'");
        }
        return v;
    }
}
