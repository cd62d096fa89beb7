package io.jtune.kernel.agent;

import java.util.function.ObjIntConsumer;

/**
 * The gate that {@code Runtime.exit(int)} and {@code Runtime.halt(int)} pass first once the
 * exit agent ({@link ExitAgent}) has patched them. The patched methods find it by name through
 * the system class loader and call {@link #check} through a method handle, so {@code java.base}
 * needs no link to it; the kernel sets the hook, which returns to let the JVM exit or throws to
 * refuse (the error reaches the caller of {@code exit} as it is). Without a hook every exit goes
 * ahead.
 */
public final class ExitGate {
    private static volatile ObjIntConsumer<String> hook;

    private ExitGate() {}

    /** Sets what decides on exits: called with the method ({@code "exit"} or {@code "halt"}) and the status. */
    public static void setHook(ObjIntConsumer<String> decide) {
        hook = decide;
    }

    /** Called at the start of {@code Runtime.exit} and {@code Runtime.halt}; returns when the exit may go on. */
    public static void check(String method, int status) {
        ObjIntConsumer<String> h = hook;
        if (h != null) {
            h.accept(method, status);
        }
    }
}
