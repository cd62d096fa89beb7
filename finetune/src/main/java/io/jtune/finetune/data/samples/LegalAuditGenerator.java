package io.jtune.finetune.data.samples;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.SourceRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Generates the "Legal Audit Assistant" data set: requests to audit a contract clause, each answered
 * by an analysis whose verdict follows from the clause's facts and a {@link LegalPolicy}. Output is
 * fully determined by the seed. Clause types are drawn uniformly and verdicts by a fair coin, so about
 * half the examples are compliant.
 */
public final class LegalAuditGenerator {
    /** Number of examples {@link #generate(long)} makes. */
    public static final int DEFAULT_COUNT = 3000;
    /** Number of held-out examples {@link #split(long)} makes. */
    public static final int DEFAULT_HELD_OUT_COUNT = 500;
    /** Source label of training examples. */
    public static final String SOURCE = "legal-audit";
    /** Source label of held-out examples. */
    public static final String HELD_OUT_SOURCE = "legal-audit-heldout";
    /** The system prompt given to examples when enabled. */
    public static final String SYSTEM_PROMPT = "You are the Legal Audit Assistant. You audit contract "
            + "clauses against the company's contracting policy: state the relevant facts, the rule, and "
            + "how they compare, then finish with a line 'Verdict: COMPLIANT' or "
            + "'Verdict: NON-COMPLIANT \u2014 <reason>'.";

    private static final long HELD_OUT_SALT = 0x5DEECE66DL;

    private final LegalPolicy policy;
    private final boolean systemPrompt;

    /** A generator under the {@link LegalPolicy#standard() standard} policy, with the system prompt. */
    public LegalAuditGenerator() {
        this(LegalPolicy.standard(), true);
    }

    /** A generator under {@code policy}; {@code systemPrompt} adds {@link #SYSTEM_PROMPT} to each example. */
    public LegalAuditGenerator(LegalPolicy policy, boolean systemPrompt) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.systemPrompt = systemPrompt;
    }

    /** The policy verdicts are decided by. */
    public LegalPolicy policy() {
        return policy;
    }

    /** {@link #DEFAULT_COUNT} training examples for {@code seed}. */
    public List<Example> generate(long seed) {
        return generate(DEFAULT_COUNT, seed);
    }

    /** {@code count} examples for {@code seed}, drawn from the training part of every value pool. */
    public List<Example> generate(int count, long seed) {
        return items(count, seed).stream().map(LegalAuditItem::example).toList();
    }

    /** {@code count} training items for {@code seed}, with the facts and verdict of each example. */
    public List<LegalAuditItem> items(int count, long seed) {
        return items(count, new Random(seed), LegalFactPools.Partition.TRAIN, SOURCE);
    }

    /** {@link #DEFAULT_COUNT} training and {@link #DEFAULT_HELD_OUT_COUNT} held-out items for {@code seed}. */
    public LegalAuditSplit split(long seed) {
        return split(DEFAULT_COUNT, DEFAULT_HELD_OUT_COUNT, seed);
    }

    /**
     * Training items (the same as {@link #items(int, long)}) and held-out items whose facts come only
     * from the held-out part of every value pool, so none of their fact values occurs in training.
     */
    public LegalAuditSplit split(int trainCount, int heldOutCount, long seed) {
        return new LegalAuditSplit(items(trainCount, seed),
                items(heldOutCount, new Random(seed ^ HELD_OUT_SALT), LegalFactPools.Partition.HELD_OUT,
                        HELD_OUT_SOURCE));
    }

    /** Writes {@code examples} as alpaca JSONL; see {@link LegalAlpacaJsonl#write(Path, List)}. */
    public static void writeJsonl(Path file, List<Example> examples) {
        LegalAlpacaJsonl.write(file, examples);
    }

    private List<LegalAuditItem> items(int count, Random random, LegalFactPools.Partition partition,
            String source) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        LegalFactSampler sampler = new LegalFactSampler(policy, partition);
        LegalAnalysisWriter writer = new LegalAnalysisWriter(policy);
        LegalClauseType[] types = LegalClauseType.values();
        List<LegalAuditItem> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            LegalClauseType type = types[random.nextInt(types.length)];
            boolean compliant = random.nextBoolean();
            Map<String, String> facts = sampler.sample(type, compliant, random);
            String instruction = LegalClauseTemplates.request(type, facts, random);
            String clause = LegalClauseTemplates.clause(type, facts, random);
            String analysis = writer.analysis(type, facts);
            List<Message> messages = new ArrayList<>();
            if (systemPrompt) {
                messages.add(Message.system(SYSTEM_PROMPT));
            }
            messages.add(Message.user(instruction + "\n\n" + clause));
            messages.add(Message.assistant(analysis));
            Example example = new Example(messages,
                    Map.of("instruction", instruction, "input", clause, "output", analysis),
                    new SourceRef(source, i + 1));
            out.add(new LegalAuditItem(example, type, facts, compliant));
        }
        return out;
    }
}
