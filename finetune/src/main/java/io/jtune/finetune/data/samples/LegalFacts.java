package io.jtune.finetune.data.samples;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Names of the facts drawn for a legal audit example, and how their raw values (digits for
 * numbers, plain names otherwise) read in prose.
 */
public final class LegalFacts {
    public static final String SUPPLIER = "supplier";
    public static final String CUSTOMER = "customer";
    public static final String CONTRACT_VALUE = "contractValue";
    public static final String LIABILITY_CAP = "liabilityCap";
    public static final String INDEMNITY_CAP = "indemnityCap";
    public static final String NOTICE_DAYS = "noticeDays";
    public static final String CONFIDENTIALITY_MONTHS = "confidentialityMonths";
    public static final String JURISDICTION = "jurisdiction";
    public static final String PAYMENT_DAYS = "paymentDays";
    public static final String RENEWAL_MONTHS = "renewalMonths";
    public static final String OPT_OUT_DAYS = "optOutDays";
    public static final String BREACH_HOURS = "breachHours";

    private LegalFacts() {}

    /** An amount of money as written in a contract, e.g. {@code USD 1,250,000}. */
    public static String money(long amount) {
        return "USD " + String.format(Locale.US, "%,d", amount);
    }

    /** A number of months, in years where it divides evenly, e.g. {@code 3 years} or {@code 30 months}. */
    public static String months(int months) {
        if (months % 12 == 0) {
            int years = months / 12;
            return years == 1 ? "1 year" : years + " years";
        }
        return months == 1 ? "1 month" : months + " months";
    }

    /** The facts as they read in prose, under the same keys. */
    public static Map<String, String> display(Map<String, String> facts) {
        Map<String, String> shown = new LinkedHashMap<>();
        facts.forEach((key, value) -> shown.put(key, display(key, value)));
        return shown;
    }

    private static String display(String key, String value) {
        switch (key) {
            case CONTRACT_VALUE:
            case LIABILITY_CAP:
            case INDEMNITY_CAP:
                return money(Long.parseLong(value));
            case NOTICE_DAYS:
            case PAYMENT_DAYS:
            case OPT_OUT_DAYS:
                return value + " days";
            case CONFIDENTIALITY_MONTHS:
            case RENEWAL_MONTHS:
                return months(Integer.parseInt(value));
            case BREACH_HOURS:
                return value + " hours";
            default:
                return value;
        }
    }

    /**
     * Replaces each {@code {key}} in {@code template} by its value in {@code vars}, and folds the
     * double stop left where a name ending in "." closes a sentence.
     */
    static String fill(String template, Map<String, String> vars) {
        String out = template;
        for (Map.Entry<String, String> e : vars.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        out = out.replace("..", ".");
        if (out.contains("{")) {
            throw new IllegalStateException("unfilled placeholder in: " + out);
        }
        return out;
    }
}
