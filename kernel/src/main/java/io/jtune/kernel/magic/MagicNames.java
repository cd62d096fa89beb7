package io.jtune.kernel.magic;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import javax.lang.model.SourceVersion;

/** Name rules shared by the registry, the parser and the invoker. */
final class MagicNames {
    private MagicNames() {}

    /** Whether {@code s} can name a notebook variable (a Java identifier, not a keyword). */
    static boolean isJavaIdentifier(String s) {
        return s != null && SourceVersion.isName(s) && !s.contains(".") && !s.equals("_");
    }

    /** {@code name} without the {@code %} or {@code %%} a user may have typed. */
    static String strip(String name) {
        String n = name == null ? "" : name.strip();
        while (n.startsWith("%")) {
            n = n.substring(1);
        }
        return n;
    }

    /** Checks a name given to the registry: not blank, no whitespace, no leading {@code %}. */
    static String check(String name) {
        if (name == null || name.isBlank() || name.startsWith("%")
                || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(
                    "A magic name is a word without % and without spaces: '" + name + "'");
        }
        return name;
    }

    /**
     * The candidate closest to {@code typed}: same name ignoring case, else a name it starts (3
     * characters at least), else the nearest by edit distance when that is at most 1 for short
     * names and at most 2 (and under half the length) for longer ones.
     */
    static Optional<String> closest(String typed, Collection<String> candidates) {
        String t = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            int d = lc.equals(t) ? 0 : t.length() >= 3 && lc.startsWith(t) ? 1 : distance(t, lc);
            if (d < bestDistance || d == bestDistance && best != null && c.compareTo(best) < 0) {
                best = c;
                bestDistance = d;
            }
        }
        int limit = t.length() <= 4 ? 1 : Math.min(2, t.length() / 2);
        return best != null && bestDistance <= limit ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance, with a swap of two neighbours counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
                        && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
