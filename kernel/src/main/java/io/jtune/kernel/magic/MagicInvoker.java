package io.jtune.kernel.magic;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Optional;

/**
 * Runs a magic by name with the evaluator's context, and gives every failure one shape.
 *
 * <ul>
 *   <li>An unknown name fails with {@code Unknown magic %NAME. Did you mean %X? (%lsmagic lists
 *       them)}; the suggestion is left out when no name is close.
 *   <li>Any failure of the magic (a {@link MagicException} or any other exception, an argument
 *       parse error included) becomes a {@link MagicException} whose message is
 *       {@code Failed to run %NAME: <cause message>} then a new line {@code Usage: <usage>}, with
 *       the original as its cause. NAME is the name as typed ({@code %%NAME} for a cell magic).
 *   <li>Interruption is not a failure: an {@link InterruptedException} thrown by the magic, or
 *       any exception thrown while the thread is interrupted (or caused by an interruption), is
 *       rethrown as it is, unwrapped, even though it is not declared. Callers that must tell a
 *       stop from a failure catch {@code Exception} and look for it. Virtual machine errors are
 *       rethrown as they are too.
 *   <li>With a trailing {@code as NAME} in the arguments the invoker binds the result itself
 *       through {@link MagicContext#bind} and returns null, so nothing is shown; a magic that
 *       returns null cannot be bound and fails. Without {@code as NAME} the result is returned
 *       for the caller to show.
 * </ul>
 */
public final class MagicInvoker {
    private MagicInvoker() {}

    /** Runs {@code %name rawArgs}. */
    public static Object runLine(MagicRegistry reg, String name, String rawArgs, MagicContext ctx)
            throws MagicException {
        String typed = MagicNames.strip(name);
        MagicSpec spec = reg.find(typed).orElseThrow(() -> unknown(reg, typed, false));
        if (!spec.hasLine()) {
            throw new MagicException("%" + typed + " is a cell magic: put %%" + typed
                    + " on the first line of a cell, the code below it. Usage: " + spec.usage());
        }
        MagicArgs args = MagicArgs.lenient(rawArgs);
        return invoke(spec, "%" + typed, args, ctx, () -> spec.line().run(args, ctx));
    }

    /** Runs a cell that starts with {@code %%name rawArgs}, {@code body} being the rest of it. */
    public static Object runCell(MagicRegistry reg, String name, String rawArgs, String body,
            MagicContext ctx) throws MagicException {
        String typed = MagicNames.strip(name);
        MagicSpec spec = reg.find(typed).orElseThrow(() -> unknown(reg, typed, true));
        if (!spec.hasCell()) {
            throw new MagicException("%" + typed + " is a line magic, not a cell magic: write %"
                    + typed + " ARGS on a line of its own. Usage: " + spec.usage());
        }
        MagicArgs args = MagicArgs.lenient(rawArgs);
        String text = body == null ? "" : body;
        return invoke(spec, "%%" + typed, args, ctx, () -> spec.cell().run(args, text, ctx));
    }

    /** The NAME of a trailing {@code as NAME} in {@code rawArgs}, if any. */
    public static Optional<String> bindName(String rawArgs) {
        return MagicArgs.lenient(rawArgs).bindName();
    }

    @FunctionalInterface
    private interface Body {
        Object run() throws Exception;
    }

    private static Object invoke(MagicSpec spec, String shown, MagicArgs args, MagicContext ctx,
            Body body) throws MagicException {
        try {
            Object result = body.run();
            Optional<String> bind = args.bindName();
            if (bind.isEmpty()) {
                return result;
            }
            if (result == null) {
                throw new MagicException(shown + " returned no value, so there is nothing to bind to "
                        + bind.get());
            }
            ctx.bind(bind.get(), result);
            return null;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            if (isInterruption(e)) {
                throw MagicInvoker.<RuntimeException>sneaky(e);
            }
            throw new MagicException("Failed to run " + shown + ": " + message(e)
                    + "\nUsage: " + spec.usage(), e);
        }
    }

    private static boolean isInterruption(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof ClosedByInterruptException
                    || t instanceof InterruptedIOException
                            && !(t instanceof java.net.SocketTimeoutException)) {
                return true;
            }
        }
        return false;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static MagicException unknown(MagicRegistry reg, String typed, boolean cell) {
        String prefix = cell ? "%%" : "%";
        Optional<String> hint = reg.suggest(typed, s -> cell ? s.hasCell() : s.hasLine());
        return new MagicException("Unknown magic " + prefix + typed + "."
                + hint.map(h -> " Did you mean " + prefix + h + "?").orElse("")
                + " (%lsmagic lists them)");
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable e) throws T {
        throw (T) e;
    }
}
