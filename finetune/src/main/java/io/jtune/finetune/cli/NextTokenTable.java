package io.jtune.finetune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.IntFunction;

/** The next-token distribution at one position: softmax of the logits, ranked. */
final class NextTokenTable {
    record Entry(int rank, int id, String token, float logit, double probability) {}

    private final Entry[] entries;

    private NextTokenTable(Entry[] entries) {
        this.entries = entries;
    }

    static NextTokenTable of(float[] logits, IntFunction<String> tokenText) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> logits[i]).reversed());
        Entry[] e = new Entry[logits.length];
        for (int r = 0; r < order.length; r++) {
            int id = order[r];
            e[r] = new Entry(r + 1, id, tokenText.apply(id), logits[id], Math.exp(logits[id] - max) / sum);
        }
        return new NextTokenTable(e);
    }

    Entry[] entries() {
        return entries.clone();
    }

    /** The top {@code k} as an aligned table. */
    String text(int k) {
        StringBuilder sb = new StringBuilder(String.format("%4s  %7s  %-20s  %9s  %11s%n", "rank", "id", "token", "logit", "probability"));
        for (int i = 0; i < Math.min(k, entries.length); i++) {
            Entry e = entries[i];
            sb.append(String.format("%4d  %7d  %-20s  %9.4f  %11.6f%n", e.rank(), e.id(), printable(e.token()), e.logit(), e.probability()));
        }
        return sb.toString();
    }

    /** Every token, as JSON. */
    String json(int[] promptIds) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ArrayNode p = root.putArray("prompt_ids");
        for (int id : promptIds) {
            p.add(id);
        }
        ArrayNode list = root.putArray("next_token");
        for (Entry e : entries) {
            list.addObject().put("rank", e.rank()).put("id", e.id()).put("token", e.token())
                    .put("logit", e.logit()).put("probability", e.probability());
        }
        return root.toPrettyString() + "\n";
    }

    /** Quoted, with control characters and spaces visible, so "\n" and " the" read unambiguously. */
    static String printable(String token) {
        StringBuilder sb = new StringBuilder("'");
        for (char c : token.toCharArray()) {
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\'' -> sb.append("\\'");
                default -> sb.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return sb.append("'").toString();
    }
}
