package io.jtune.finetune.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The text-overlap scores of answer evaluation, on normalised text: lower case, punctuation
 * replaced by spaces, runs of white space collapsed. Articles are kept (SQuAD's normaliser drops
 * them; in a contract "a" and "the" can matter).
 */
public final class TextMetrics {
    private static final Pattern PUNCT = Pattern.compile("[\\p{P}\\p{S}]+");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private TextMetrics() {
    }

    /** The text as the scores compare it. */
    public static String normalize(String text) {
        String s = PUNCT.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ");
        return SPACE.matcher(s).replaceAll(" ").strip();
    }

    /** The normalised words of {@code text}; none for blank text. */
    public static List<String> tokens(String text) {
        String n = normalize(text);
        return n.isEmpty() ? List.of() : List.of(n.split(" "));
    }

    /** 1 when the normalised texts are equal, else 0. */
    public static double exactMatch(String prediction, String reference) {
        return normalize(prediction).equals(normalize(reference)) ? 1 : 0;
    }

    /**
     * Token F1: the harmonic mean of precision and recall of the words in common, counted as
     * multisets. Two empty texts score 1, one empty text 0.
     */
    public static double tokenF1(String prediction, String reference) {
        List<String> p = tokens(prediction);
        List<String> r = tokens(reference);
        if (p.isEmpty() || r.isEmpty()) {
            return p.isEmpty() && r.isEmpty() ? 1 : 0;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String t : r) {
            counts.merge(t, 1, Integer::sum);
        }
        int common = 0;
        for (String t : p) {
            Integer c = counts.get(t);
            if (c != null && c > 0) {
                common++;
                counts.put(t, c - 1);
            }
        }
        if (common == 0) {
            return 0;
        }
        double precision = common / (double) p.size();
        double recall = common / (double) r.size();
        return 2 * precision * recall / (precision + recall);
    }

    /**
     * ROUGE-L F1: the longest common subsequence of the two word sequences, as precision over the
     * prediction's length and recall over the reference's, combined with equal weight (as
     * {@code rouge_score} reports {@code fmeasure}). Two empty texts score 1, one empty text 0.
     */
    public static double rougeL(String prediction, String reference) {
        List<String> p = tokens(prediction);
        List<String> r = tokens(reference);
        if (p.isEmpty() || r.isEmpty()) {
            return p.isEmpty() && r.isEmpty() ? 1 : 0;
        }
        int lcs = lcs(p, r);
        if (lcs == 0) {
            return 0;
        }
        double precision = lcs / (double) p.size();
        double recall = lcs / (double) r.size();
        return 2 * precision * recall / (precision + recall);
    }

    /** Length of the longest common subsequence, in O(|a|·|b|) time and O(|b|) memory. */
    static int lcs(List<String> a, List<String> b) {
        int[] prev = new int[b.size() + 1];
        int[] cur = new int[b.size() + 1];
        for (String x : a) {
            for (int j = 1; j <= b.size(); j++) {
                cur[j] = x.equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.size()];
    }
}
