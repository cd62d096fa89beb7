package io.jtune.finetune.data.samples;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.SourceRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The pre-training text of the built-in base model: conversations in the Legal Audit domain that
 * teach what a base model brings to fine-tuning (reading clauses, naming their facts, comparing
 * quantities, checking a name against a list) and never the contracting policy or a verdict, which
 * are what the LoRA step on {@link LegalAuditGenerator}'s data has to teach.
 *
 * <p>Nine kinds of conversation, in fixed shares: drafting a clause from its facts, summarising a
 * clause's facts, extracting one fact, comparing two quantities (days, months, hours, money) in the
 * wordings contracts use, multiplying an amount, checking whether a name is on a list, defining a
 * term, describing a clause in labelled lines, and applying a rule stated in the question to a
 * clause (the reasoning lines of an audit under a random policy, without a verdict). The
 * numbers of the general tasks are drawn from ranges wider than the audit data's pools, and the
 * policy's rules and thresholds are not stated anywhere. Output is fully determined by the seed.
 */
public final class LegalPretrainCorpus {
    /** The source label of every conversation. */
    public static final String SOURCE = "legal-pretrain";

    private static final String[] KINDS = {"draft", "summary", "extract", "compare", "multiply", "list", "define",
        "lines", "rule"};
    /** Shares of the kinds above, in percent. */
    private static final int[] SHARES = {12, 12, 9, 20, 6, 7, 6, 8, 20};

    /** Terms of contract review and their meanings, in several wordings each: term, then meanings. */
    private static final String[][] GLOSSARY = {
        {"an audit", "An audit is a careful check of a document against a set of rules.",
            "To audit a contract is to read each clause and test it against the rules that apply to it."},
        {"a clause", "A clause is one numbered or headed part of a contract that deals with one subject.",
            "A clause is a provision of a contract, such as its payment terms or its governing law."},
        {"COMPLIANT", "A clause is COMPLIANT when it meets every rule it is checked against.",
            "COMPLIANT means that nothing in the clause breaks a rule that applies to it."},
        {"NON-COMPLIANT", "A clause is NON-COMPLIANT when it breaks a rule; the reason follows a dash, as in NON-COMPLIANT \u2014 the period is too long.",
            "NON-COMPLIANT means that the clause fails a rule \u2014 a reviewer then says which rule and why."},
        {"a verdict", "A verdict is the conclusion of a review: COMPLIANT, or NON-COMPLIANT with the reason.",
            "The verdict is the last word of an audit, stating whether the clause passes."},
        {"a rule", "A rule says what a clause must or must not contain, for example a limit on a number of days.",
            "A rule sets a minimum or a maximum, or a list of allowed values, that a clause must respect."},
        {"a comparison", "A comparison sets a fact from the clause beside the limit of a rule and says which is larger.",
            "In a review, the comparison states how the clause's figure relates to the figure the rule requires."},
        {"the facts", "The facts of a clause are what it actually says: the parties, the amounts and the periods.",
            "Facts are the figures and names a clause states, read from its text without judgement."},
        {"a contracting policy", "A contracting policy is a company's set of rules for the contracts it signs.",
            "A company's contracting policy lists the terms it accepts and the terms it refuses."},
        {"a liability cap", "A liability cap limits the total amount one party can be made to pay the other.",
            "A liability cap is the most a party will pay for all claims under a contract."},
        {"an indemnity", "An indemnity is a promise to cover another party's losses from certain claims.",
            "Under an indemnity, one party pays for the other's losses caused by claims from third parties."},
        {"termination for convenience", "Termination for convenience lets a party end a contract without a reason, after notice.",
            "A party that terminates for convenience needs no cause, only the notice the contract asks for."},
        {"a confidentiality term", "A confidentiality term is how long secret information must be kept secret.",
            "The confidentiality term runs during the contract and often for some time after it ends."},
        {"the governing law", "The governing law is the legal system whose law applies to a contract.",
            "A governing law clause names the jurisdiction whose courts and law decide disputes."},
        {"payment terms", "Payment terms say when and how invoices must be paid.",
            "Payment terms set the number of days a customer has to pay an invoice."},
        {"automatic renewal", "Automatic renewal extends a contract for a further term unless a party gives notice.",
            "A contract that renews automatically continues for another term when nobody opts out in time."},
        {"a personal data breach", "A personal data breach is an incident in which personal data is lost, exposed or stolen.",
            "When personal data is exposed by accident or attack, that is a personal data breach."},
        {"the supplier", "The supplier is the party that provides the goods or services under a contract.",
            "In a services agreement, the supplier delivers the services and sends the invoices."},
        {"the customer", "The customer is the party that receives the services and pays for them.",
            "The customer buys the goods or services and pays the supplier's invoices."},
        {"the contract value", "The contract value is the total amount payable under a contract.",
            "A contract's total value is the sum of all fees it provides for."}};

    private static final List<String> PLACES = List.of(
            "England and Wales", "New York", "Delaware", "California", "Ontario", "Ireland", "Germany",
            "the Netherlands", "Singapore", "Switzerland", "Texas", "Scotland", "Sweden", "New South Wales",
            "Japan", "France", "Illinois", "Victoria", "Denmark", "Hong Kong", "Florida", "British Columbia",
            "Norway", "Massachusetts", "Luxembourg", "Spain", "Italy", "Austria", "Belgium", "Finland",
            "Quebec", "Queensland", "Washington", "Colorado", "Georgia", "Portugal", "Poland", "Korea",
            "New Zealand", "Dubai");

    private final LegalPolicy policy = LegalPolicy.standard();

    /** {@code count} conversations for {@code seed}. */
    public List<Example> generate(int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        Random random = new Random(seed);
        List<Example> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String kind = pickKind(random);
            String[] turn = switch (kind) {
                case "draft" -> draft(random);
                case "summary" -> summary(random);
                case "extract" -> extract(random);
                case "compare" -> compare(random);
                case "multiply" -> multiply(random);
                case "list" -> list(random);
                case "define" -> define(random);
                case "rule" -> rule(random);
                default -> lines(random);
            };
            out.add(new Example(List.of(Message.user(turn[0]), Message.assistant(turn[1])),
                    Map.of("kind", kind, "prompt", turn[0], "completion", turn[1]), new SourceRef(SOURCE, i + 1)));
        }
        return out;
    }

    private static String pickKind(Random random) {
        int r = random.nextInt(100);
        for (int k = 0; k < KINDS.length; k++) {
            r -= SHARES[k];
            if (r < 0) {
                return KINDS[k];
            }
        }
        return KINDS[KINDS.length - 1];
    }

    /** A clause of a random type with facts from either pool partition (no verdict is attached). */
    private Clause clause(Random random) {
        LegalClauseType[] types = LegalClauseType.values();
        LegalClauseType type = types[random.nextInt(types.length)];
        LegalFactPools.Partition part = random.nextInt(5) == 0 ? LegalFactPools.Partition.HELD_OUT
                : LegalFactPools.Partition.TRAIN;
        Map<String, String> facts = new LegalFactSampler(policy, part).sample(type, random.nextBoolean(), random);
        return new Clause(type, facts, LegalFacts.display(facts), LegalClauseTemplates.clause(type, facts, random));
    }

    /** A clause: its type, raw facts, the facts as prose reads them, and its text. */
    private record Clause(LegalClauseType type, Map<String, String> facts, Map<String, String> shown, String text) {
        /** The one-sentence summary of the facts (the sentence an analysis's Facts line holds). */
        String factsSentence() {
            return LegalFacts.fill(LegalAnalysisWriter.factsSentence(type), shown);
        }
    }

    private String[] draft(Random random) {
        Clause c = clause(random);
        Map<String, String> shown = c.shown();
        String ask = pick(random, "Draft a {label} clause for an agreement in which {supplier} supplies {customer}.",
                "Write a {label} clause. Supplier: {supplier}. Customer: {customer}.",
                "Please write the {label} provision of a services agreement between {supplier} and {customer}.");
        String prompt = fill(ask, c.type(), shown) + " " + factPhrase(c.type(), shown);
        return new String[] {prompt, c.text()};
    }

    private String[] summary(Random random) {
        Clause c = clause(random);
        Map<String, String> shown = c.shown();
        String ask = pick(random, "Summarise the facts of this {label} clause.",
                "What does the following {label} clause say? Answer in one sentence.",
                "State the key facts of the {label} clause below.");
        String prompt = fill(ask, c.type(), shown) + LegalClauseTemplates.context(c.facts(), random) + "\n\n" + c.text();
        return new String[] {prompt, c.factsSentence()};
    }

    private String[] extract(Random random) {
        Clause c = clause(random);
        Map<String, String> shown = c.shown();
        String key = c.type().decisiveFact();
        String name = factName(key);
        String ask = pick(random, "What is the " + name + " in this clause?", "Find the " + name + " in the clause below.",
                "Which " + name + " does this clause set?");
        return new String[] {ask + "\n\n" + c.text(), "The " + name + " is " + shown.get(key) + "."};
    }

    private static String factName(String key) {
        return switch (key) {
            case LegalFacts.LIABILITY_CAP -> "liability cap";
            case LegalFacts.INDEMNITY_CAP -> "indemnity cap";
            case LegalFacts.NOTICE_DAYS -> "termination notice period";
            case LegalFacts.CONFIDENTIALITY_MONTHS -> "confidentiality period";
            case LegalFacts.JURISDICTION -> "governing law";
            case LegalFacts.PAYMENT_DAYS -> "payment period";
            case LegalFacts.RENEWAL_MONTHS -> "renewal term";
            case LegalFacts.BREACH_HOURS -> "breach notification period";
            default -> key;
        };
    }

    /** The clause's facts as a drafting brief, e.g. "Payment period: 45 days." */
    private static String factPhrase(LegalClauseType type, Map<String, String> shown) {
        StringBuilder b = new StringBuilder();
        b.append(capitalise(factName(type.decisiveFact()))).append(": ").append(shown.get(type.decisiveFact())).append('.');
        for (String extra : type.extraFacts()) {
            b.append(" Notice to stop a renewal: ").append(shown.get(extra)).append('.');
        }
        return b.toString();
    }

    /**
     * Two quantities of one unit and their comparison, in the wordings of contract analysis: the
     * question, the answer, the figure and the limit it is checked against.
     */
    private String[] compare(Random random) {
        int unit = random.nextInt(5);
        long b;
        long a;
        switch (unit) {
            case 0, 1 -> { // days
                b = 1 + random.nextInt(180);
                a = near(random, b, 1, 200);
                String x = a + " days";
                String y = b + " days";
                if (unit == 0) {
                    String q = pick(random, "Is {a} at least {b}?", "Compare a notice period of {a} with {b}.",
                            "Does {a} give at least {b}?");
                    return new String[] {q.replace("{a}", x).replace("{b}", y),
                        x + (a >= b ? " is at least " : " is fewer than ") + y + ".", x, "a minimum of " + y};
                }
                String q = pick(random, "Is {a} within a {b}-day limit?", "Compare {a} with a limit of {b} days.",
                        "Does a period of {a} stay within {b} days?");
                return new String[] {q.replace("{a}", x).replace("{b}", Long.toString(b)),
                    x + (a <= b ? " is within " : " is longer than ") + "the " + b + "-day limit.", x, "a limit of " + y};
            }
            case 2 -> { // months
                b = 1 + random.nextInt(72);
                a = near(random, b, 1, 120);
                String x = LegalFacts.months((int) a);
                String y = LegalFacts.months((int) b);
                if (random.nextBoolean()) {
                    String q = pick(random, "Is {a} at least {b}?", "Compare a period of {a} with {b}.");
                    return new String[] {q.replace("{a}", x).replace("{b}", y),
                        x + (a >= b ? " is at least " : " is shorter than ") + y + ".", x, "a minimum of " + y};
                }
                String q = pick(random, "Does a term of {a} exceed {b}?", "Compare a term of {a} with a maximum of {b}.");
                return new String[] {q.replace("{a}", x).replace("{b}", y),
                    "A term of " + x + (a <= b ? " does not exceed " : " exceeds ") + y + ".", x, "a maximum of " + y};
            }
            case 3 -> { // hours
                b = 1 + random.nextInt(200);
                a = near(random, b, 1, 240);
                String x = a + " hours";
                String q = pick(random, "Is {a} within a {b}-hour limit?", "Compare {a} with a limit of {b} hours.");
                return new String[] {q.replace("{a}", x).replace("{b}", Long.toString(b)),
                    x + (a <= b ? " is within " : " is longer than ") + "the " + b + "-hour limit.", x,
                    "a limit of " + b + " hours"};
            }
            default -> { // money
                b = 5_000L * (2 + random.nextInt(1_600));
                a = Math.max(5_000, near(random, b / 5_000, 1, 1_800) * 5_000);
                String x = LegalFacts.money(a);
                String y = LegalFacts.money(b);
                if (random.nextBoolean()) {
                    String q = pick(random, "Does an amount of {a} meet a minimum of {b}?",
                            "Compare {a} with a required minimum of {b}.");
                    return new String[] {q.replace("{a}", x).replace("{b}", y), "The required minimum is " + y
                            + ", and the amount of " + x + (a >= b ? " meets it." : " falls short of it."), x,
                        "a minimum of " + y};
                }
                String q = pick(random, "Is {a} at least {b}?", "Which is larger, {a} or {b}?");
                return new String[] {q.replace("{a}", x).replace("{b}", y),
                    x + (a >= b ? " is at least " : " is below ") + y + ".", x, "a minimum of " + y};
            }
        }
    }

    /** Half the time a value close to {@code b} (within 10%, at least 1 apart at times), else any in range. */
    private static long near(Random random, long b, long min, long max) {
        if (random.nextBoolean()) {
            long spread = Math.max(2, b / 10);
            long v = b + random.nextLong(-spread, spread + 1);
            return Math.max(min, Math.min(max, v));
        }
        return min + random.nextLong(max - min + 1);
    }

    private String[] multiply(Random random) {
        int k = 2 + random.nextInt(3);
        long amount = 5_000L * (2 + random.nextInt(800));
        String q = pick(random, "What is {k} times {a}?", "Multiply {a} by {k}.", "How much is {k} times the contract value of {a}?");
        String x = LegalFacts.money(amount);
        return new String[] {q.replace("{k}", Integer.toString(k)).replace("{a}", x),
            k + " times " + x + " is " + LegalFacts.money(k * amount) + "."};
    }

    private String[] list(Random random) {
        List<String> pool = new ArrayList<>(PLACES);
        java.util.Collections.shuffle(pool, random);
        int n = 4 + random.nextInt(9);
        List<String> listed = new ArrayList<>(pool.subList(0, n));
        boolean in = random.nextBoolean();
        String name = in ? listed.get(random.nextInt(n)) : pool.get(n + random.nextInt(pool.size() - n));
        listed.sort(String::compareTo);
        String q = pick(random, "Is {x} one of these: {list}?", "Here is a list: {list}. Is {x} on it?",
                "Check whether {x} is among {list}.");
        return new String[] {q.replace("{x}", name).replace("{list}", String.join(", ", listed)),
            name + (in ? " is " : " is not ") + "on the list."};
    }

    private String[] define(Random random) {
        String[] entry = GLOSSARY[random.nextInt(GLOSSARY.length)];
        String term = entry[0];
        String q = pick(random, "What is " + term + "?", "Explain " + term + " in one sentence.",
                "In contract review, what does " + term + " mean?");
        if (term.equals(term.toUpperCase(Locale.ROOT))) {
            q = pick(random, "What does " + term + " mean?", "When is a clause " + term + "?");
        }
        return new String[] {q, entry[1 + random.nextInt(entry.length - 1)]};
    }

    /**
     * Answers in labelled lines: a clause described as Clause, Parties and Facts lines, or a
     * quantity checked against a limit that the question states, as Facts, Rule and Comparison lines.
     */
    private String[] lines(Random random) {
        if (random.nextBoolean()) {
            Clause c = clause(random);
            Map<String, String> shown = c.shown();
            String prompt = fill(pick(random, "Describe this {label} clause in labelled lines.",
                    "Give the clause type, the parties and the facts of the clause below, one per line."), c.type(), shown)
                    + LegalClauseTemplates.context(c.facts(), random) + "\n\n" + c.text();
            return new String[] {prompt, "Clause: " + c.type().label() + "\nParties: " + shown.get(LegalFacts.SUPPLIER)
                    + " (supplier) and " + shown.get(LegalFacts.CUSTOMER) + " (customer)\nFacts: "
                    + c.factsSentence()};
        }
        String[] c = compare(random);
        return new String[] {c[0] + " Answer with Facts, Rule and Comparison lines.",
            "Facts: The figure is " + c[2] + ".\nRule: It is checked against " + c[3] + ".\nComparison: " + c[1]};
    }

    /**
     * A clause checked against a rule that the question states, answered in the Facts, Rule and
     * Comparison lines of an audit (no verdict). The rule comes from a random policy whose every
     * threshold and jurisdiction list differs from the standard policy's, so the corpus reads how
     * rules are applied without ever stating the rules the LoRA step teaches.
     */
    private String[] rule(Random random) {
        LegalPolicy stated = otherPolicy(random);
        LegalClauseType[] types = LegalClauseType.values();
        LegalClauseType type = types[random.nextInt(types.length)];
        LegalFactPools.Partition part = random.nextInt(5) == 0 ? LegalFactPools.Partition.HELD_OUT
                : LegalFactPools.Partition.TRAIN;
        boolean compliant = random.nextBoolean();
        Map<String, String> facts;
        try {
            facts = new LegalFactSampler(stated, part).sample(type, compliant, random);
        } catch (IllegalStateException e) { // the small held-out pool has no value on that side of the limit
            facts = new LegalFactSampler(stated, LegalFactPools.Partition.TRAIN).sample(type, compliant, random);
        }
        String ruleText = stated.ruleText(type).replace("violates the policy", pick(random, "violates the policy",
                "violates the rule"));
        String prompt = pick(random, "Check the clause below against this rule: ", "Apply this rule to the clause: ",
                "Rule to apply: ") + ruleText + " Answer with Facts, Rule and Comparison lines."
                + LegalClauseTemplates.context(facts, random) + "\n\n" + LegalClauseTemplates.clause(type, facts, random);
        String answer = new LegalAnalysisWriter(stated).reasoning(type, facts);
        return new String[] {prompt, answer.replace(stated.ruleText(type), ruleText)};
    }

    /** A policy none of whose thresholds, nor its list of jurisdictions, is the standard policy's. */
    private LegalPolicy otherPolicy(Random random) {
        List<String> places = new ArrayList<>(LegalFactPools.allValues(LegalFacts.JURISDICTION));
        Set<String> approved;
        do {
            java.util.Collections.shuffle(places, random);
            approved = Set.copyOf(places.subList(0, 5 + random.nextInt(10)));
        } while (approved.equals(policy.approvedJurisdictions()));
        return new LegalPolicy(
                other(random, policy.minLiabilityCapMultiple(), 1, 3, 1),
                other(random, policy.minIndemnityMultiple(), 1, 4, 1),
                other(random, policy.minTerminationNoticeDays(), 10, 110, 5),
                other(random, policy.minConfidentialityMonths(), 6, 108, 3),
                approved,
                other(random, policy.maxPaymentDays(), 15, 110, 5),
                other(random, policy.maxRenewalMonths(), 3, 30, 1),
                other(random, policy.maxBreachNotificationHours(), 12, 156, 6));
    }

    /** A multiple of {@code step} in [{@code min}, {@code max}] that is not {@code standard}. */
    private static int other(Random random, int standard, int min, int max, int step) {
        int v;
        do {
            v = min + step * random.nextInt((max - min) / step + 1);
        } while (v == standard);
        return v;
    }

    private static String fill(String template, LegalClauseType type, Map<String, String> shown) {
        return LegalFacts.fill(template.replace("{label}", type.label()), shown);
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }

    private static String capitalise(String s) {
        return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }
}
