package io.jtune.kernel.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a cell into Java code and magics: a first line {@code %%name args} makes the whole cell a
 * cell magic; otherwise every line that starts with {@code %name} is a line magic and the lines
 * between them are Java.
 */
final class CellParser {
    private static final Pattern CELL_MAGIC = Pattern.compile("^\\s*%%([A-Za-z_][\\w.-]*)[ \\t]*(.*)$");
    private static final Pattern LINE_MAGIC = Pattern.compile("^\\s*%([A-Za-z_][\\w.-]*)(?:[ \\t]+(.*))?$");

    /** A part of a cell; {@code line} is the 1-based line it starts on. */
    sealed interface Segment permits JavaCode, LineMagicCall, CellMagicCall {}

    record JavaCode(String code, int line) implements Segment {}

    record LineMagicCall(String name, String args, int line) implements Segment {}

    record CellMagicCall(String name, String args, String body) implements Segment {}

    private CellParser() {}

    static List<Segment> parse(String cell) {
        String[] lines = cell.split("\n", -1);
        Matcher cm = CELL_MAGIC.matcher(firstNonBlank(lines));
        if (cm.matches()) {
            int first = indexOfFirstNonBlank(lines);
            String body = String.join("\n", java.util.Arrays.asList(lines).subList(first + 1, lines.length));
            return List.of(new CellMagicCall(cm.group(1), cm.group(2).strip(), body));
        }
        List<Segment> out = new ArrayList<>();
        StringBuilder java = new StringBuilder();
        int javaStart = 1;
        for (int i = 0; i < lines.length; i++) {
            Matcher lm = LINE_MAGIC.matcher(lines[i]);
            if (lm.matches()) {
                addJava(out, java, javaStart);
                out.add(new LineMagicCall(lm.group(1), lm.group(2) == null ? "" : lm.group(2).strip(), i + 1));
                javaStart = i + 2;
            } else {
                java.append(lines[i]).append(i < lines.length - 1 ? "\n" : "");
            }
        }
        addJava(out, java, javaStart);
        return out;
    }

    private static void addJava(List<Segment> out, StringBuilder java, int line) {
        if (!java.toString().isBlank()) {
            out.add(new JavaCode(java.toString(), line));
        }
        java.setLength(0);
    }

    private static String firstNonBlank(String[] lines) {
        int i = indexOfFirstNonBlank(lines);
        return i < 0 ? "" : lines[i];
    }

    private static int indexOfFirstNonBlank(String[] lines) {
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                return i;
            }
        }
        return -1;
    }
}
