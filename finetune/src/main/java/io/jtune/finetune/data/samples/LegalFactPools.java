package io.jtune.finetune.data.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The value pools facts are drawn from, split once and for all into a training part and a held-out
 * part: every fifth value of each pool is held out, the rest is for training. Money facts share one
 * pool and both parties share one pool, so a held-out amount or name never appears in training in
 * any role.
 */
public final class LegalFactPools {
    /** Which part of every pool a generator may draw from. */
    public enum Partition { TRAIN, HELD_OUT }

    /** Every {@code HELD_OUT_EVERY}-th value of a pool (1-based) is held out. */
    public static final int HELD_OUT_EVERY = 5;

    private static final List<String> AMOUNTS = range(40_000, 3_025_000, 15_000);

    private static final List<String> PARTIES = parties();

    private static final List<String> JURISDICTIONS = List.of(
            "England and Wales", "New York", "Delaware", "California", "Ontario",
            "Ireland", "Germany", "the Netherlands", "Singapore", "Switzerland",
            "Texas", "Scotland", "Sweden", "New South Wales", "Japan",
            "France", "Illinois", "Victoria", "Denmark", "Hong Kong",
            "Florida", "British Columbia", "Norway", "Massachusetts", "Luxembourg");

    private static final Map<String, List<String>> POOLS = Map.ofEntries(
            Map.entry(LegalFacts.SUPPLIER, PARTIES),
            Map.entry(LegalFacts.CUSTOMER, PARTIES),
            Map.entry(LegalFacts.CONTRACT_VALUE, AMOUNTS),
            Map.entry(LegalFacts.LIABILITY_CAP, AMOUNTS),
            Map.entry(LegalFacts.INDEMNITY_CAP, AMOUNTS),
            Map.entry(LegalFacts.NOTICE_DAYS, range(5, 120, 1)),
            Map.entry(LegalFacts.CONFIDENTIALITY_MONTHS, range(3, 120, 3)),
            Map.entry(LegalFacts.JURISDICTION, JURISDICTIONS),
            Map.entry(LegalFacts.PAYMENT_DAYS, range(10, 120, 5)),
            Map.entry(LegalFacts.RENEWAL_MONTHS, range(1, 36, 1)),
            Map.entry(LegalFacts.OPT_OUT_DAYS, range(14, 120, 2)),
            Map.entry(LegalFacts.BREACH_HOURS, range(6, 168, 6)));

    private LegalFactPools() {}

    /** The values of {@code factKey} that examples of {@code partition} may use, in a fixed order. */
    public static List<String> values(String factKey, Partition partition) {
        List<String> all = allValues(factKey);
        List<String> part = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            boolean heldOut = i % HELD_OUT_EVERY == HELD_OUT_EVERY - 1;
            if (heldOut == (partition == Partition.HELD_OUT)) {
                part.add(all.get(i));
            }
        }
        return List.copyOf(part);
    }

    /** Every value of {@code factKey}, both parts together. */
    public static List<String> allValues(String factKey) {
        List<String> all = POOLS.get(factKey);
        if (all == null) {
            throw new IllegalArgumentException("no pool for fact '" + factKey + "'");
        }
        return all;
    }

    private static List<String> range(long from, long to, long step) {
        List<String> out = new ArrayList<>();
        for (long v = from; v <= to; v += step) {
            out.add(Long.toString(v));
        }
        return List.copyOf(out);
    }

    private static List<String> parties() {
        String[] stems = {"Harbor", "Bluestone", "Kestrel", "Maple Ridge", "Orion", "Silverline",
            "Tidewater", "Granite Peak", "Lumen", "Redwood", "Copperfield", "Windmere", "Alder",
            "Brightwater", "Falcon Crest", "Juniper"};
        String[] suffixes = {"Systems Ltd", "Logistics Inc.", "Analytics GmbH", "Software LLC",
            "Holdings plc", "Health B.V."};
        List<String> out = new ArrayList<>();
        for (String stem : stems) {
            for (String suffix : suffixes) {
                out.add(stem + " " + suffix);
            }
        }
        return List.copyOf(out);
    }
}
