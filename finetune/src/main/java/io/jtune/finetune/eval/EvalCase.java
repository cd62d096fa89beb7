package io.jtune.finetune.eval;

import io.jtune.finetune.data.Example;
import io.jtune.finetune.data.Message;
import io.jtune.finetune.data.samples.LegalAuditItem;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One example to evaluate: the conversation as training formats it (its last turn, the assistant's,
 * is the reference answer), an id to find it by, and tags (a clause type, {@code expect=refusal})
 * that metrics and per-example views can read.
 */
public record EvalCase(String id, Example example, Map<String, String> tags) {
    /** The tag that marks a case whose right answer is to decline. */
    public static final String EXPECT = "expect";
    public static final String REFUSAL = "refusal";

    public EvalCase {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(example, "example");
        List<Message> m = example.messages();
        if (m.isEmpty() || !m.get(m.size() - 1).role().equals("assistant")) {
            throw new IllegalArgumentException("case " + id + ": the last message must be the assistant's reference"
                    + " answer");
        }
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
    }

    public static EvalCase of(String id, Example example) {
        return new EvalCase(id, example, Map.of());
    }

    /** A generated legal audit item, tagged with its clause type. */
    public static EvalCase of(String id, LegalAuditItem item) {
        return new EvalCase(id, item.example(), Map.of("clause_type", item.clauseType().label()));
    }

    /** Cases for examples, with ids {@code prefix-1}, {@code prefix-2}, ... */
    public static List<EvalCase> of(String prefix, List<Example> examples) {
        return java.util.stream.IntStream.range(0, examples.size())
                .mapToObj(i -> of(prefix + "-" + (i + 1), examples.get(i))).toList();
    }

    /** The reference answer: the content of the last (assistant) message. */
    public String reference() {
        List<Message> m = example.messages();
        return m.get(m.size() - 1).content();
    }

    /** The last user message: what the case asks. */
    public String question() {
        List<Message> m = example.messages();
        for (int i = m.size() - 1; i >= 0; i--) {
            if (m.get(i).role().equals("user")) {
                return m.get(i).content();
            }
        }
        return "";
    }

    /** Whether the right answer to this case is to decline. */
    public boolean expectsRefusal() {
        return REFUSAL.equals(tags.get(EXPECT));
    }
}
