package io.jtune.kernel.eval;

import java.nio.file.Path;
import java.util.List;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;

/**
 * Snippets that JShell accepted but did not evaluate. Only two outcomes of {@code eval} mean the
 * code ran or will run: {@code VALID}, and a declaration that is {@code RECOVERABLE_*} because it
 * uses something not defined yet (a forward reference: it is defined, or becomes usable, once
 * the missing name is). Every other status (in practice a {@code RECOVERABLE_*} snippet with no
 * unresolved dependency) is a failure with the compiler's diagnostics, never a quiet success.
 *
 * <p>The case that occurs: javac finds nothing wrong while analysing the code and fails only
 * while writing the class file, when a limit of the class file format is hit (a string constant
 * of 65,536 characters or more, too many constants, a method over 64 KB). JShell then reports
 * the snippet {@code RECOVERABLE_NOT_DEFINED}, with no unresolved reference. Worse, javac's
 * {@code PoolWriter} keeps the oversized constant after the failed write, and JShell reuses its
 * compiler contexts (JDK 17 to 25): every later snippet fails the same way, and the session
 * looks alive while nothing runs. The remedy here: the snippet is dropped (it was never
 * evaluated, and a later snippet must not see its name), and JShell's compiler contexts are
 * replaced by adding a class path entry that is already there, which makes JShell start a new
 * task pool; the variables and definitions of the session are untouched.
 */
final class UnevaluatedSnippets {
    private UnevaluatedSnippets() {}

    /** Whether {@code e} (an event of a snippet just evaluated) is a declaration waiting for names not yet defined. */
    static boolean waitsForDefinitions(JShell jshell, SnippetEvent e) {
        return isRecoverable(e.status()) && e.snippet() instanceof DeclarationSnippet ds
                && jshell.unresolvedDependencies(ds).findAny().isPresent();
    }

    /** Whether {@code e} was accepted but not evaluated, and is not a declaration waiting for names. */
    static boolean notEvaluated(JShell jshell, SnippetEvent e) {
        Snippet.Status s = e.status();
        return s != Snippet.Status.VALID && s != Snippet.Status.REJECTED && !waitsForDefinitions(jshell, e);
    }

    /**
     * The error of a snippet that was not evaluated ({@link #notEvaluated}), after removing it. The
     * caller then calls {@link #renewCompiler} (after any further compile check of the cell, which
     * may hit the same limit again).
     */
    static CellError fail(JShell jshell, SnippetEvent e, String source, int line) {
        Snippet sn = e.snippet();
        List<Diag> diags = jshell.diagnostics(sn).filter(Diag::isError).toList();
        if (e.status().isActive()) {
            jshell.drop(sn);
        }
        if (diags.isEmpty()) {
            String text = "the snippet was compiled but not evaluated (JShell status " + e.status() + ")";
            return new CellError(ErrorFormatter.COMPILE_ERROR, text, List.of("cell line " + line + ": error: " + text));
        }
        return ErrorFormatter.compileError(source, line, diags);
    }

    /**
     * Makes JShell throw away its pooled javac contexts: {@code addToClasspath} starts a new pool.
     * The entry added is the kernel's own code, which is on the class path already.
     */
    static void renewCompiler(JShell jshell) {
        try {
            Path own = Path.of(UnevaluatedSnippets.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            jshell.addToClasspath(own.toString());
        } catch (Exception | LinkageError ex) {
            io.jtune.kernel.log.Log.warn("could not renew JShell's compiler after a failed class file: " + ex);
        }
    }

    private static boolean isRecoverable(Snippet.Status s) {
        return s == Snippet.Status.RECOVERABLE_DEFINED || s == Snippet.Status.RECOVERABLE_NOT_DEFINED;
    }
}
