package io.jtune.finetune.tokenize.template;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Lexes template text as Jinja2 does and writes it out for Jinjava: Jinja2's whitespace rules
 * applied (Jinjava runs with its own trimming off and sees no {@code -} or {@code +} markers),
 * expressions rewritten by {@link Jinja2Expressions} and loops by {@link Jinja2Loops}.
 *
 * <p>The lexing follows Jinja2 3.1 with Hugging Face's settings: line ends become {@code \n}; one
 * trailing newline is dropped ({@code keep_trailing_newline=False}); {@code {%-}, {@code {{-} and
 * {@code {#-} strip all whitespace before the tag and {@code -%}}, {@code -}}} and {@code -#}} all
 * whitespace after it; {@code trim_blocks} drops the newline right after a block or comment tag;
 * {@code lstrip_blocks} drops the spaces and tabs between the start of a line and a block or
 * comment tag; {@code +} turns either off for one tag. Comments are removed, {@code raw} blocks are
 * turned into literal text, Hugging Face's {@code generation} markers are dropped (their content
 * stays), and a literal {@code {} in text is written as an expression so that Jinjava cannot read
 * it as the start of a tag.
 */
final class Jinja2Source {
    /** A piece of lexed template: literal text, or the inside of a block or expression tag. */
    record Piece(Kind kind, String body, int line) {
        enum Kind { TEXT, BLOCK, EXPRESSION }

        static Piece block(String body, int line) {
            return new Piece(Kind.BLOCK, body, line);
        }
    }

    /** The Jinjava template and the names of the filters and tests it uses. */
    record Prepared(String template, Set<String> filters, Set<String> tests) {}

    private final String text;
    private final List<Piece> pieces = new ArrayList<>();
    private final Set<String> filters = new TreeSet<>();
    private final Set<String> tests = new TreeSet<>();
    private int pos;
    private boolean lineStarting = true;

    private Jinja2Source(String text) {
        this.text = text;
    }

    /**
     * Returns the Jinjava template for a Hugging Face chat template, with the filters and tests it
     * names.
     *
     * @throws ChatTemplateException when a tag, comment, string or raw block is not closed
     */
    static Prepared prepare(String source) {
        String text = source.replace("\r\n", "\n").replace('\r', '\n');
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        Jinja2Source lexer = new Jinja2Source(text);
        lexer.run();
        StringBuilder out = new StringBuilder();
        for (Piece piece : Jinja2Loops.rewrite(lexer.pieces)) {
            switch (piece.kind()) {
                case TEXT -> emitText(out, piece.body());
                case BLOCK -> out.append("{% ").append(piece.body()).append(" %}");
                case EXPRESSION -> out.append("{{ ").append(piece.body()).append(" }}");
            }
        }
        return new Prepared(out.toString(), lexer.filters, lexer.tests);
    }

    private void run() {
        while (pos < text.length()) {
            int start = nextTagStart(pos);
            if (start < 0) {
                emitText(text.substring(pos));
                return;
            }
            String data = text.substring(pos, start);
            char kind = text.charAt(start + 1);
            int inner = start + 2;
            char sign = inner < text.length() && (text.charAt(inner) == '-' || text.charAt(inner) == '+')
                    ? text.charAt(inner) : 0;
            if (sign != 0) {
                inner++;
            }
            int rawEnd = kind == '%' ? rawBeginEnd(inner) : -1;
            emitText(stripBefore(data, sign, kind != '{', lineStarting));
            if (rawEnd >= 0) {
                raw(rawEnd);
            } else if (kind == '#') {
                comment(start, inner);
            } else {
                tag(start, kind, inner);
            }
        }
    }

    private int nextTagStart(int from) {
        for (int i = from; i + 1 < text.length(); i++) {
            if (text.charAt(i) == '{') {
                char c = text.charAt(i + 1);
                if (c == '%' || c == '{' || c == '#') {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The text before a tag, after the tag's {@code -} or the {@code lstrip_blocks} rule. */
    private static String stripBefore(String data, char sign, boolean lstripApplies, boolean lineStarting) {
        if (sign == '-') {
            return PythonStrings.strip(data, null, false, true);
        }
        if (sign == '+' || !lstripApplies) {
            return data;
        }
        int lineStart = data.lastIndexOf('\n') + 1;
        if ((lineStart > 0 || lineStarting) && lineStart < data.length() && allSpace(data, lineStart, data.length())) {
            return data.substring(0, lineStart);
        }
        return data;
    }

    private static boolean allSpace(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!PythonStrings.isSpace(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** If a {@code raw} tag starts at {@code inner}, where the tag ends; else -1. */
    private int rawBeginEnd(int inner) {
        int i = skipSpace(inner);
        if (!text.startsWith("raw", i)) {
            return -1;
        }
        i = skipSpace(i + 3);
        if (text.startsWith("-%}", i)) {
            return skipSpace(i + 3);
        }
        return text.startsWith("%}", i) ? i + 2 : -1;
    }

    private void raw(int contentStart) {
        lineStarting = contentStart > 0 && text.charAt(contentStart - 1) == '\n';
        int i = contentStart;
        while (true) {
            int start = text.indexOf("{%", i);
            if (start < 0) {
                throw error("missing end of raw directive", contentStart);
            }
            int j = start + 2;
            char sign = j < text.length() && (text.charAt(j) == '-' || text.charAt(j) == '+') ? text.charAt(j) : 0;
            if (sign != 0) {
                j++;
            }
            j = skipSpace(j);
            if (text.startsWith("endraw", j)) {
                j = skipSpace(j + 6);
                int end = blockEnd(j);
                if (end >= 0) {
                    emitText(stripBefore(text.substring(contentStart, start), sign, true, lineStarting));
                    finishTag(end);
                    return;
                }
            }
            i = start + 2;
        }
    }

    private void comment(int start, int inner) {
        for (int k = inner; k < text.length(); k++) {
            if (text.startsWith("+#}", k)) {
                finishTag(k + 3);
                return;
            }
            if (text.startsWith("-#}", k)) {
                finishTag(skipSpace(k + 3));
                return;
            }
            if (text.startsWith("#}", k)) {
                finishTag(k + 2 < text.length() && text.charAt(k + 2) == '\n' ? k + 3 : k + 2);
                return;
            }
        }
        throw error("missing end of comment tag", start);
    }

    private void tag(int start, char kind, int inner) {
        Deque<Character> open = new ArrayDeque<>();
        int k = inner;
        while (k < text.length()) {
            char c = text.charAt(k);
            if (open.isEmpty()) {
                int end = kind == '%' ? blockEnd(k) : variableEnd(k);
                if (end >= 0) {
                    String body;
                    try {
                        body = Jinja2Expressions.rewrite(text.substring(inner, k));
                        Jinja2Expressions.collectNames(body, filters, tests);
                    } catch (IllegalArgumentException e) {
                        throw error(e.getMessage(), start);
                    }
                    pieces.add(new Piece(kind == '%' ? Piece.Kind.BLOCK : Piece.Kind.EXPRESSION, body, line(start)));
                    finishTag(end);
                    return;
                }
            }
            if (c == '\'' || c == '"') {
                try {
                    k = Jinja2Expressions.stringEnd(text, k);
                } catch (IllegalArgumentException e) {
                    throw error(e.getMessage(), k);
                }
                continue;
            }
            if (c == '{' || c == '(' || c == '[') {
                open.push(c == '{' ? '}' : c == '(' ? ')' : ']');
            } else if ((c == '}' || c == ')' || c == ']') && !open.isEmpty() && open.peek() == c) {
                open.pop();
            }
            k++;
        }
        throw error("missing end of " + (kind == '%' ? "block" : "expression") + " tag", start);
    }

    /** If a block tag ends at {@code k}: the position after it and what it swallows; else -1. */
    private int blockEnd(int k) {
        if (text.startsWith("+%}", k)) {
            return k + 3;
        }
        if (text.startsWith("-%}", k)) {
            return skipSpace(k + 3);
        }
        if (text.startsWith("%}", k)) {
            return k + 2 < text.length() && text.charAt(k + 2) == '\n' ? k + 3 : k + 2;
        }
        return -1;
    }

    private int variableEnd(int k) {
        if (text.startsWith("-}}", k)) {
            return skipSpace(k + 3);
        }
        return text.startsWith("}}", k) ? k + 2 : -1;
    }

    private void finishTag(int end) {
        lineStarting = end > 0 && text.charAt(end - 1) == '\n';
        pos = end;
    }

    private int skipSpace(int i) {
        while (i < text.length() && PythonStrings.isSpace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private void emitText(String data) {
        if (!data.isEmpty()) {
            pieces.add(new Piece(Piece.Kind.TEXT, data, 0));
        }
    }

    /** Literal text; a {@code {} is written as an expression so it cannot open a Jinjava tag. */
    private static void emitText(StringBuilder out, String data) {
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '{') {
                out.append("{{ '{' }}");
            } else {
                out.append(c);
            }
        }
    }

    private int line(int at) {
        int line = 1;
        for (int i = 0; i < at && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private ChatTemplateException error(String what, int at) {
        return syntaxError(what, line(at));
    }

    /** A syntax error at a line of the template. */
    static ChatTemplateException syntaxError(String what, int line) {
        String message = what + " (template line " + line + ")";
        return new ChatTemplateException("the chat template has a syntax error: " + message, message, false, null);
    }
}
