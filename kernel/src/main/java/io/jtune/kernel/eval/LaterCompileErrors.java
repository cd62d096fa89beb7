package io.jtune.kernel.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * The compile errors of the code after a rejected snippet, found without running any of it, so a
 * cell reports all its mistakes at once as javac would. The rejected snippet and the statements
 * after it are compiled together as the body of a method that is never called (and dropped):
 * declarations of the earlier statements are then seen by the later ones. Only statements,
 * expressions and variable declarations can stand in a method body; the check ends before the
 * first class, method or import, and errors that only a method body has (a checked exception
 * not caught, a variable read before it is set) are left out.
 */
final class LaterCompileErrors {
    private static final String METHOD = "$jtune$compileCheck$";
    private static final Set<Snippet.Kind> STATEMENT_LIKE =
            Set.of(Snippet.Kind.VAR, Snippet.Kind.EXPRESSION, Snippet.Kind.STATEMENT);
    /** Diagnostics that only the wrapping method causes: at the top level of a cell they do not occur. */
    private static final Set<String> WRAPPER_ONLY = Set.of(
            "compiler.err.not.stmt",
            "compiler.err.var.might.not.have.been.initialized",
            "compiler.err.unreachable.stmt",
            "compiler.err.already.defined",
            "compiler.err.cant.ref.non.effectively.final.var",
            "compiler.err.unreported.exception.need.to.catch.or.throw",
            "compiler.err.ret.outside.meth");

    private LaterCompileErrors() {}

    /** A piece of the code: its text as the wrapper holds it, and where it starts in the wrapper and in {@code rest}. */
    private record Piece(String text, int inWrapper, int inRest) {}

    /**
     * The traceback lines of the errors in {@code rest} (the code after the rejected snippet
     * {@code failed}), which starts on cell line {@code restFirstLine}; empty when there are none
     * or the code cannot be checked this way.
     */
    static List<String> in(JShell jshell, String failed, String rest, int restFirstLine) {
        if (rest.isBlank() || !statementLike(jshell, failed)) {
            return List.of();
        }
        StringBuilder wrapper = new StringBuilder("void " + METHOD + "() {\n");
        wrapper.append(failed).append('\n');
        List<Piece> pieces = new ArrayList<>();
        SourceCodeAnalysis sca = jshell.sourceCodeAnalysis();
        String remaining = rest;
        int offset = 0;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo ci = sca.analyzeCompletion(remaining);
            if (ci.completeness() == SourceCodeAnalysis.Completeness.EMPTY || !ci.completeness().isComplete()) {
                break;
            }
            String source = ci.source().stripLeading();
            if (!statementLike(jshell, source)) {
                break;
            }
            int consumed = remaining.length() - ci.remaining().length();
            int lead = 0;
            while (lead < consumed && Character.isWhitespace(remaining.charAt(lead))) {
                lead++;
            }
            pieces.add(new Piece(source, wrapper.length(), offset + lead));
            wrapper.append(source).append('\n');
            offset += consumed;
            remaining = ci.remaining();
        }
        if (pieces.isEmpty()) {
            return List.of();
        }
        wrapper.append("}");
        List<ErrorFormatter.Span> found = new ArrayList<>();
        for (SnippetEvent e : jshell.eval(wrapper.toString())) {
            if (e.causeSnippet() != null || !(e.snippet() instanceof MethodSnippet m)) {
                continue;
            }
            jshell.diagnostics(m).filter(Diag::isError).filter(d -> !WRAPPER_ONLY.contains(d.getCode()))
                    .forEach(d -> shifted(d, pieces).ifPresent(found::add));
            if (e.status().isDefined()) {
                jshell.drop(m);
            }
        }
        return found.isEmpty() ? List.of() : ErrorFormatter.compileErrorAt(rest, restFirstLine, found).traceback();
    }

    private static boolean statementLike(JShell jshell, String source) {
        List<Snippet> snippets = jshell.sourceCodeAnalysis().sourceToSnippets(source);
        return !snippets.isEmpty() && snippets.stream().allMatch(s -> STATEMENT_LIKE.contains(s.kind()));
    }

    /** {@code d} with its positions in {@code rest}; empty when it lies outside the pieces (in the rejected snippet). */
    private static Optional<ErrorFormatter.Span> shifted(Diag d, List<Piece> pieces) {
        long at = d.getStartPosition();
        for (Piece p : pieces) {
            long pieceEnd = p.inWrapper() + p.text().length();
            if (at >= p.inWrapper() && at <= pieceEnd) {
                long delta = p.inRest() - p.inWrapper();
                return Optional.of(new ErrorFormatter.Span(at + delta, Math.min(d.getEndPosition(), pieceEnd) + delta,
                        d.getMessage(Locale.ROOT)));
            }
        }
        return Optional.empty();
    }
}
