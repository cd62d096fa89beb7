package io.jtune.kernel.eval;

import io.jtune.kernel.protocol.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a cell into Java code and magics, with IJava's syntax:
 *
 * <ul>
 *   <li>a first line {@code %%name args} makes the whole cell a cell magic;
 *   <li>a line {@code %name args} outside any block is a line magic of its own, run between the
 *       Java around it (its value is the cell's value when it comes last, {@code as NAME} binds it);
 *   <li>a line {@code var NAME = %name args} outside any block is the same magic with
 *       {@code as NAME}: the variable gets the result's own type;
 *   <li>a magic anywhere else, on a line of its own inside a block or after an {@code =}
 *       ({@code List<String> jars = %jars lib/*.jar}), desugars in place to
 *       {@code NotebookFunctions.lineMagic("name", "args")}, so it runs where the Java runs.
 *       The arguments run to the end of the line; one trailing {@code ;} is left to Java.
 * </ul>
 * A {@code %} inside a string, character literal, text block or comment is never a magic.
 */
final class CellParser {
    private static final Pattern CELL_MAGIC = Pattern.compile("^\\s*%%([A-Za-z_][\\w.-]*)[ \\t]*(.*)$");
    private static final Pattern LINE_MAGIC = Pattern.compile("^(\\s*)%([A-Za-z_][\\w.-]*)(?:[ \\t]+(.*))?$");
    private static final Pattern VAR_MAGIC =
            Pattern.compile("^\\s*var\\s+([A-Za-z_$][\\w$]*)\\s*=\\s*%([A-Za-z_][\\w.-]*)(?:[ \\t]+(.*?))?\\s*;?\\s*$");
    private static final Pattern MAGIC_AFTER_EQUALS = Pattern.compile("%([A-Za-z_][\\w.-]*)(?:[ \\t]+(.*))?$");
    static final String LINE_MAGIC_FUNCTION = "io.jtune.kernel.api.NotebookFunctions.lineMagic";

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
            String body = String.join("\n", Arrays.asList(lines).subList(first + 1, lines.length));
            return List.of(new CellMagicCall(cm.group(1), cm.group(2).strip(), body));
        }
        List<Segment> out = new ArrayList<>();
        StringBuilder java = new StringBuilder();
        int javaStart = 1;
        JavaLexer lexer = new JavaLexer();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean code = lexer.inCode();
            boolean topLevel = code && lexer.depth() == 0;
            String nl = i < lines.length - 1 ? "\n" : "";
            Matcher lm = LINE_MAGIC.matcher(line);
            Matcher vm = VAR_MAGIC.matcher(line);
            boolean lineMagic = code && lm.matches();
            int afterEquals = lineMagic ? -1 : lexer.scan(line); // a magic's arguments are not Java
            if (topLevel && lineMagic) {
                addJava(out, java, javaStart);
                out.add(new LineMagicCall(lm.group(2), lm.group(3) == null ? "" : lm.group(3).strip(), i + 1));
                javaStart = i + 2;
            } else if (topLevel && vm.matches()) {
                addJava(out, java, javaStart);
                String args = vm.group(3) == null ? "" : vm.group(3).strip();
                out.add(new LineMagicCall(vm.group(2), (args + " as " + vm.group(1)).strip(), i + 1));
                javaStart = i + 2;
            } else if (lineMagic) {
                java.append(lm.group(1)).append(desugar(lm.group(2), lm.group(3))).append(nl);
            } else if (afterEquals >= 0) {
                Matcher m = MAGIC_AFTER_EQUALS.matcher(line.substring(afterEquals));
                if (!m.matches()) {
                    throw new IllegalStateException("lexer and pattern disagree on " + line);
                }
                java.append(line, 0, afterEquals).append(desugar(m.group(1), m.group(2))).append(nl);
            } else {
                java.append(line).append(nl);
            }
        }
        addJava(out, java, javaStart);
        return out;
    }

    /** {@code NotebookFunctions.lineMagic("name", "args");}, keeping one trailing semicolon of the args for Java. */
    static String desugar(String name, String rawArgs) {
        String args = rawArgs == null ? "" : rawArgs.strip();
        if (args.endsWith(";")) {
            args = args.substring(0, args.length() - 1).strip();
        }
        return LINE_MAGIC_FUNCTION + "(" + javaString(name) + ", " + javaString(args) + ");";
    }

    /**
     * {@code s} as a Java string literal: a JSON string is one (Jackson escapes quotes,
     * backslashes and control characters; a backslash it writes never starts a unicode escape).
     */
    static String javaString(String s) {
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a string always serializes", e);
        }
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

    /**
     * Just enough of Java's lexical structure, line by line, to know whether a line starts inside a
     * block ({@code ( [ {} depth) or inside a comment or text block, and where a magic follows an
     * {@code =} in code.
     */
    static final class JavaLexer {
        private int depth;
        private boolean inBlockComment;
        private boolean inTextBlock;

        int depth() {
            return depth;
        }

        /** Whether the next line starts in code (not inside a comment or text block). */
        boolean inCode() {
            return !inBlockComment && !inTextBlock;
        }

        /**
         * Reads one line; returns the index of a {@code %name} that directly follows an assignment
         * {@code =} in code (spaces between allowed), or -1.
         */
        int scan(String line) {
            int i = 0;
            int n = line.length();
            while (i < n) {
                if (inBlockComment) {
                    int end = line.indexOf("*/", i);
                    if (end < 0) {
                        return -1;
                    }
                    inBlockComment = false;
                    i = end + 2;
                    continue;
                }
                if (inTextBlock) {
                    int end = textBlockEnd(line, i);
                    if (end < 0) {
                        return -1;
                    }
                    inTextBlock = false;
                    i = end + 3;
                    continue;
                }
                char c = line.charAt(i);
                if (line.startsWith("//", i)) {
                    return -1;
                } else if (line.startsWith("/*", i)) {
                    inBlockComment = true;
                    i += 2;
                } else if (line.startsWith("\"\"\"", i)) {
                    inTextBlock = true;
                    i += 3;
                } else if (c == '"' || c == '\'') {
                    i = literalEnd(line, i, c);
                } else {
                    if (c == '(' || c == '[' || c == '{') {
                        depth++;
                    } else if (c == ')' || c == ']' || c == '}') {
                        depth = Math.max(0, depth - 1);
                    } else if (c == '=' && isAssignment(line, i)) {
                        int j = i + 1;
                        while (j < n && (line.charAt(j) == ' ' || line.charAt(j) == '\t')) {
                            j++;
                        }
                        if (j + 1 < n && line.charAt(j) == '%'
                                && (Character.isLetter(line.charAt(j + 1)) || line.charAt(j + 1) == '_')) {
                            return j; // the rest of the line is the magic's arguments
                        }
                    }
                    i++;
                }
            }
            return -1;
        }

        private static boolean isAssignment(String line, int i) {
            char before = i > 0 ? line.charAt(i - 1) : ' ';
            char after = i + 1 < line.length() ? line.charAt(i + 1) : ' ';
            return after != '=' && "=!<>+-*/%&|^".indexOf(before) < 0;
        }

        /** The index after the string or character literal that opens at {@code open}. */
        private static int literalEnd(String line, int open, char quote) {
            int i = open + 1;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (c == '\\') {
                    i += 2;
                } else if (c == quote) {
                    return i + 1;
                } else {
                    i++;
                }
            }
            return line.length();
        }

        private static int textBlockEnd(String line, int from) {
            for (int i = from; i <= line.length() - 3; i++) {
                if (line.charAt(i) == '\\') {
                    i++;
                } else if (line.startsWith("\"\"\"", i)) {
                    return i;
                }
            }
            return -1;
        }
    }
}
