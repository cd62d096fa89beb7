package io.jtune.kernel.eval;

import io.jtune.kernel.magic.MagicRegistry;
import io.jtune.kernel.magic.MagicSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * Completion, inspection and completeness of cell text through JShell's source analysis. A cell
 * may hold many snippets: the analysis works on the snippet under the cursor. Offsets here are
 * UTF-16 indexes into the cell; the kernel converts to and from the protocol's code points.
 */
public final class CodeAnalysis {
    private static final Pattern MAGIC_PREFIX = Pattern.compile("(^|\\n)[ \\t]*(%%?)([\\w.-]*)$");

    private final JShell jshell;

    CodeAnalysis(JShell jshell) {
        this.jshell = jshell;
    }

    /** Completion candidates replacing {@code [start, end)} of the cell. */
    public record Completion(List<String> matches, int start, int end) {}

    /** Documentation at the cursor; empty text when nothing is known there. */
    public record Inspection(boolean found, String text) {}

    /** {@code complete}, {@code incomplete} (with an indent for the next line) or {@code invalid}. */
    public record IsComplete(String status, String indent) {}

    Completion complete(String code, int cursor, MagicRegistry magics) {
        String before = code.substring(0, cursor);
        Matcher m = MAGIC_PREFIX.matcher(before);
        if (m.find()) {
            String prefix = m.group(3);
            List<String> names = new ArrayList<>();
            for (MagicSpec spec : magics.all()) {
                boolean cell = m.group(2).length() == 2;
                if (spec.name().startsWith(prefix) && (cell ? spec.cell() != null : spec.line() != null)) {
                    names.add(spec.name());
                }
            }
            return new Completion(names, cursor - prefix.length(), cursor);
        }
        int start = snippetStart(before);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                jshell.sourceCodeAnalysis().completionSuggestions(code.substring(start, cursor), cursor - start, anchor);
        Set<String> matches = new LinkedHashSet<>();
        boolean anyMatchingType = suggestions.stream().anyMatch(SourceCodeAnalysis.Suggestion::matchesType);
        for (SourceCodeAnalysis.Suggestion s : suggestions) {
            if (!anyMatchingType || s.matchesType()) {
                matches.add(s.continuation());
            }
        }
        if (anyMatchingType) {
            // the type-matching ones first, then the rest, as jshell's tab completion does
            for (SourceCodeAnalysis.Suggestion s : suggestions) {
                matches.add(s.continuation());
            }
        }
        return new Completion(new ArrayList<>(matches), start + anchor[0], cursor);
    }

    Inspection inspect(String code, int cursor, MagicRegistry magics) {
        Matcher m = Pattern.compile("^[ \\t]*%%?([\\w.-]+)").matcher(lineAt(code, cursor));
        if (m.find()) {
            return magics.find(m.group(1))
                    .map(s -> new Inspection(true, "%" + s.name() + ": " + s.description() + "\nUsage: " + s.usage()))
                    .orElse(new Inspection(false, ""));
        }
        int start = snippetStart(code.substring(0, cursor));
        String snippet = code.substring(start);
        int at = extendToIdentifierEnd(snippet, cursor - start);
        String upTo = snippet.substring(0, at);
        List<SourceCodeAnalysis.Documentation> docs = jshell.sourceCodeAnalysis().documentation(upTo, at, true);
        if (docs.isEmpty() && !upTo.isBlank() && Character.isJavaIdentifierPart(upTo.charAt(upTo.length() - 1))) {
            // a method name with no call yet (Shift+Tab on "String.format"): JShell documents a
            // call, so ask about one, as IPython answers for the name under the cursor
            docs = jshell.sourceCodeAnalysis().documentation(upTo + "(", at + 1, true);
        }
        if (docs.isEmpty()) {
            return new Inspection(false, "");
        }
        StringBuilder text = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            if (text.length() > 0) {
                text.append("\n\n");
            }
            text.append(d.signature());
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                text.append("\n").append(d.javadoc().strip());
            }
        }
        return new Inspection(true, text.toString());
    }

    IsComplete isComplete(String code) {
        StringBuilder java = new StringBuilder();
        for (CellParser.Segment seg : CellParser.parse(code)) {
            if (seg instanceof CellParser.CellMagicCall) {
                return new IsComplete("complete", "");
            }
            if (seg instanceof CellParser.JavaCode j) {
                java.append(j.code()).append('\n');
            }
        }
        String remaining = java.toString();
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = jshell.sourceCodeAnalysis().analyzeCompletion(remaining);
            Completeness c = ci.completeness();
            if (c == Completeness.DEFINITELY_INCOMPLETE || c == Completeness.CONSIDERED_INCOMPLETE) {
                return new IsComplete("incomplete", "    ".repeat(Math.max(0, depth(remaining))));
            }
            if (c == Completeness.UNKNOWN) {
                return new IsComplete("invalid", "");
            }
            if (c == Completeness.EMPTY) {
                break;
            }
            remaining = ci.remaining();
        }
        return new IsComplete("complete", "");
    }

    /** Start of the snippet that contains the end of {@code before}: after the last complete one. */
    private int snippetStart(String before) {
        SourceCodeAnalysis sca = jshell.sourceCodeAnalysis();
        int start = 0;
        String rest = before;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(rest);
            if (!ci.completeness().isComplete() || ci.remaining().isBlank()
                    || ci.remaining().length() == rest.length()) {
                break; // the snippet under the cursor: complete within it
            }
            start += rest.length() - ci.remaining().length();
            rest = ci.remaining();
        }
        while (start < before.length() && Character.isWhitespace(before.charAt(start))) {
            start++;
        }
        return start;
    }

    private static int extendToIdentifierEnd(String s, int at) {
        while (at < s.length() && Character.isJavaIdentifierPart(s.charAt(at))) {
            at++;
        }
        return at;
    }

    private static String lineAt(String code, int cursor) {
        int ls = code.lastIndexOf('\n', Math.max(0, cursor - 1)) + 1;
        int le = code.indexOf('\n', cursor);
        return code.substring(ls, le < 0 ? code.length() : le);
    }

    /** Open braces, brackets and parentheses outside strings and comments. */
    private static int depth(String code) {
        int depth = 0;
        boolean inString = false;
        boolean inChar = false;
        boolean lineComment = false;
        boolean blockComment = false;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            char next = i + 1 < code.length() ? code.charAt(i + 1) : 0;
            if (lineComment) {
                lineComment = c != '\n';
            } else if (blockComment) {
                if (c == '*' && next == '/') {
                    blockComment = false;
                    i++;
                }
            } else if (inString || inChar) {
                if (c == '\\') {
                    i++;
                } else if ((inString && c == '"') || (inChar && c == '\'')) {
                    inString = false;
                    inChar = false;
                }
            } else if (c == '/' && next == '/') {
                lineComment = true;
            } else if (c == '/' && next == '*') {
                blockComment = true;
            } else if (c == '"') {
                inString = true;
            } else if (c == '\'') {
                inChar = true;
            } else if (c == '{' || c == '(' || c == '[') {
                depth++;
            } else if (c == '}' || c == ')' || c == ']') {
                depth--;
            }
        }
        return depth;
    }
}
