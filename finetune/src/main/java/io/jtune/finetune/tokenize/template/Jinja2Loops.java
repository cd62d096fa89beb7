package io.jtune.finetune.tokenize.template;

import io.jtune.finetune.tokenize.template.Jinja2Source.Piece;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Rewrites the block structure Jinjava lacks into tags it has, and checks that blocks are closed.
 *
 * <ul>
 *   <li>A loop filter, {@code {% for x in xs if cond %}}, which Jinjava would silently ignore,
 *       becomes a loop that collects the matching items first, so {@code loop.index} and
 *       {@code loop.last} count only those, as in Jinja2 (and {@code loop} in the condition is
 *       the enclosing loop's).
 *   <li>A loop's {@code {% else %}}, which Jinjava would render after every item, becomes an
 *       {@code {% if %}} on the (filtered) items after the loop.
 *   <li>Hugging Face's {@code {% generation %}} and {@code {% endgeneration %}} markers, which only
 *       matter for assistant masks, are dropped and their content kept.
 * </ul>
 */
final class Jinja2Loops {
    private static final Set<String> BLOCKS =
            Set.of("for", "if", "macro", "call", "filter", "block", "with", "autoescape", "trans", "set");

    private Jinja2Loops() {}

    private static final class Frame {
        final String name;
        final int at;
        int elseAt = -1;

        Frame(String name, int at) {
            this.name = name;
            this.at = at;
        }
    }

    /** Returns the pieces with loops rewritten. */
    static List<Piece> rewrite(List<Piece> pieces) {
        List<List<Piece>> replaced = new ArrayList<>();
        for (Piece piece : pieces) {
            replaced.add(List.of(piece));
        }
        Deque<Frame> open = new ArrayDeque<>();
        int counter = 0;
        for (int i = 0; i < pieces.size(); i++) {
            Piece piece = pieces.get(i);
            if (piece.kind() != Piece.Kind.BLOCK) {
                continue;
            }
            String word = firstWord(piece.body());
            if (word.equals("generation") || word.equals("endgeneration")) {
                replaced.set(i, List.of());
            } else if (BLOCKS.contains(word) && !(word.equals("set") && isAssignment(piece.body()))) {
                open.push(new Frame(word, i));
            } else if (word.equals("else") && !open.isEmpty() && open.peek().name.equals("for")) {
                open.peek().elseAt = i;
            } else if (word.startsWith("end") && BLOCKS.contains(word.substring(3))) {
                String name = word.substring(3);
                if (open.isEmpty() || !open.peek().name.equals(name)) {
                    throw Jinja2Source.syntaxError("unexpected '" + word + "'"
                            + (open.isEmpty() ? "" : ", expected 'end" + open.peek().name + "'"), piece.line());
                }
                Frame frame = open.pop();
                if (name.equals("for")) {
                    counter = rewriteLoop(pieces, replaced, frame, i, counter);
                }
            }
        }
        if (!open.isEmpty()) {
            Frame frame = open.peek();
            throw Jinja2Source.syntaxError("'" + frame.name + "' is never closed", pieces.get(frame.at).line());
        }
        List<Piece> out = new ArrayList<>();
        replaced.forEach(out::addAll);
        return out;
    }

    private static int rewriteLoop(List<Piece> pieces, List<List<Piece>> replaced, Frame frame, int endAt, int counter) {
        Piece forTag = pieces.get(frame.at);
        String body = forTag.body().strip().substring("for".length());
        int in = keyword(body, "in", 0);
        if (in < 0) {
            throw Jinja2Source.syntaxError("expected 'in' in the for tag", forTag.line());
        }
        String target = body.substring(0, in).strip();
        String rest = body.substring(in + 2);
        int recursive = keyword(rest, "recursive", 0);
        if (recursive >= 0) {
            throw Jinja2Source.syntaxError("recursive loops are not supported", forTag.line());
        }
        int filterAt = keyword(rest, "if", 0);
        if (filterAt < 0 && frame.elseAt < 0) {
            return counter;
        }
        String iterable = (filterAt < 0 ? rest : rest.substring(0, filterAt)).strip();
        String items = "__jt_items_" + counter + "__";
        int line = forTag.line();
        List<Piece> start = new ArrayList<>();
        if (filterAt >= 0) {
            String condition = rest.substring(filterAt + 2).strip();
            String item = Jinja2Expressions.topLevel(target, ',').length > 0 ? "[" + unparenthesized(target) + "]"
                    : target;
            String outerLoop = "__jt_outer_loop_" + counter + "__";
            start.add(Piece.block("set " + items + " = []", line));
            start.add(Piece.block("set " + outerLoop + " = loop", line));
            start.add(Piece.block("for " + target + " in " + iterable, line));
            start.add(Piece.block("if " + renameLoop(condition, outerLoop), line));
            start.add(Piece.block("do " + items + ".append(" + item + ")", line));
            start.add(Piece.block("endif", line));
            start.add(Piece.block("endfor", line));
        } else {
            start.add(Piece.block("set " + items + " = " + iterable, line));
        }
        start.add(Piece.block("for " + target + " in " + items, line));
        replaced.set(frame.at, start);
        if (frame.elseAt >= 0) {
            replaced.set(frame.elseAt, List.of(Piece.block("endfor", line), Piece.block("if not " + items, line)));
            replaced.set(endAt, List.of(Piece.block("endif", line)));
        }
        return counter + 1;
    }

    /**
     * The filter condition with {@code loop} renamed: in Jinja2 a loop filter sees the enclosing
     * loop's {@code loop}, not the one of the collecting loop it moves into.
     */
    private static String renameLoop(String condition, String name) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < condition.length()) {
            char c = condition.charAt(i);
            if (c == '\'' || c == '"') {
                int end = Jinja2Expressions.stringEnd(condition, i);
                out.append(condition, i, end);
                i = end;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (identifierChar(condition, end)) {
                    end++;
                }
                String word = condition.substring(i, end);
                boolean attribute = out.toString().stripTrailing().endsWith(".");
                out.append(word.equals("loop") && !attribute ? name : word);
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String unparenthesized(String target) {
        String t = target.strip();
        return t.startsWith("(") && t.endsWith(")") ? t.substring(1, t.length() - 1) : t;
    }

    /** The first word of a tag's inside. */
    static String firstWord(String body) {
        String s = body.strip();
        int end = 0;
        while (end < s.length() && (Character.isLetterOrDigit(s.charAt(end)) || s.charAt(end) == '_')) {
            end++;
        }
        return s.substring(0, end);
    }

    /** Whether a {@code set} tag assigns ({@code set x = ...}) rather than opening a block. */
    private static boolean isAssignment(String body) {
        for (int at : Jinja2Expressions.topLevel(body, '=')) {
            char before = at > 0 ? body.charAt(at - 1) : ' ';
            char after = at + 1 < body.length() ? body.charAt(at + 1) : ' ';
            if (before != '=' && before != '!' && before != '<' && before != '>' && after != '=') {
                return true;
            }
        }
        return false;
    }

    /** Where the word {@code word} stands alone outside strings and brackets, from {@code from}; or -1. */
    private static int keyword(String s, String word, int from) {
        int depth = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                i = Jinja2Expressions.stringEnd(s, i) - 1;
            } else if (c == '[' || c == '(' || c == '{') {
                depth++;
            } else if (c == ']' || c == ')' || c == '}') {
                depth--;
            } else if (depth == 0 && s.startsWith(word, i) && !identifierChar(s, i - 1)
                    && !identifierChar(s, i + word.length())) {
                return i;
            }
        }
        return -1;
    }

    private static boolean identifierChar(String s, int i) {
        return i >= 0 && i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_');
    }
}
