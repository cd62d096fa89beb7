package io.jtune.finetune.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Removes repeated conversations. The key of an example is its whole conversation: every turn's
 * role and content. {@link DedupMode#NORMALIZED} also collapses runs of whitespace to one space,
 * trims, and lower-cases (locale-independent) each content. The first occurrence is kept; each
 * later one is reported as a {@link Duplicate} of it.
 */
public final class Deduplicator {
    /** The examples kept, in input order, and the ones removed. */
    public record Result(List<Example> kept, List<Duplicate> duplicates) {
        public Result {
            kept = List.copyOf(kept);
            duplicates = List.copyOf(duplicates);
        }
    }

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Deduplicator() {
    }

    /** Keeps the first example of each conversation and reports the rest as duplicates. */
    public static Result dedup(List<Example> examples, DedupMode mode) {
        if (mode == DedupMode.NONE) {
            return new Result(examples, List.of());
        }
        Map<String, SourceRef> firstSeen = new HashMap<>();
        List<Example> kept = new ArrayList<>();
        List<Duplicate> duplicates = new ArrayList<>();
        for (Example example : examples) {
            String key = key(example, mode);
            SourceRef original = firstSeen.putIfAbsent(key, example.source());
            if (original == null) {
                kept.add(example);
            } else {
                duplicates.add(new Duplicate(example.source(), original));
            }
        }
        return new Result(kept, duplicates);
    }

    static String key(Example example, DedupMode mode) {
        StringBuilder sb = new StringBuilder();
        for (Message m : example.messages()) {
            String content = m.content();
            if (mode == DedupMode.NORMALIZED) {
                content = WHITESPACE.matcher(content).replaceAll(" ").strip().toLowerCase(Locale.ROOT);
            }
            sb.append(m.role()).append('\u0000').append(content).append('\u0001');
        }
        return sb.toString();
    }
}
