package io.jtune.kernel.agent;

import io.jtune.kernel.log.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.ProtectionDomain;

/**
 * The Java agent that guards the JVM against exits started by notebook code: it patches
 * {@code java.lang.Runtime} so that every {@code exit(int)} and {@code halt(int)} first asks
 * {@link ExitGate}, whose hook the kernel sets ({@code io.jtune.kernel.eval.ExitGuard}). The
 * hook refuses with an error that the cell reports as {@code SystemExit}, unless the kernel
 * itself is shutting down.
 *
 * <h2>Why an agent</h2>
 * The kernel also rewrites the cells' own calls of {@code System.exit} ({@code
 * StopCheckInstrumenter}), but that sees only call sites in cell classes: a method reference
 * ({@code IntConsumer e = System::exit}), reflection, a library's {@code main()} and code on
 * other threads reach {@code Runtime.exit} unseen. The {@code SecurityManager} that once could
 * veto exits is deprecated on JDK 17 and gone from JDK 24 on, and a shutdown hook cannot stop
 * an exit. Patching the two methods that every exit of Java code passes through works the same
 * on JDK 17 and 25. An exit by signal (the SIGTERM or SIGINT that ends a kernel from outside)
 * goes through {@code java.lang.Shutdown} directly and is not affected; nor is the JVM ending
 * because its last non-daemon thread did.
 *
 * <h2>How</h2>
 * <ol>
 *   <li>The launcher ({@code ./jtune}, which {@code kernel.json} runs too) starts every JVM with
 *       {@code -javaagent:<the jtune-kernel jar>}; the jar's manifest names this class as
 *       {@code Premain-Class}, with {@code Can-Retransform-Classes}. ({@code
 *       Launcher-Agent-Class} would only serve {@code java -jar}; the launcher runs a class path.)
 *       The launcher's class data sharing dump runs without it (the JVM refuses to dump with an
 *       agent); the archive still serves the JVMs started with it.</li>
 *   <li>{@code premain} retransforms {@code Runtime} with ASM ({@link RuntimeExitPatch}): a call
 *       of the gate at the start of both methods, found through the system class loader and a
 *       method handle, nothing else. The gate stays an ordinary class on the class path.</li>
 * </ol>
 * A failure along the way is logged and leaves the JVM as it was: the kernel starts anyway,
 * with only the source-level rewrite, and warns once ({@code ExitGuard.arm}).
 */
public final class ExitAgent {
    private static volatile boolean installed;

    private ExitAgent() {}

    /** Entry point of {@code -javaagent}. */
    public static void premain(String args, Instrumentation inst) {
        install(inst);
    }

    /** Whether {@code Runtime.exit} and {@code Runtime.halt} pass the gate in this JVM. */
    public static boolean installed() {
        return installed;
    }

    static synchronized void install(Instrumentation inst) {
        if (installed) {
            return;
        }
        try {
            checkGateIsReachable();
            boolean[] patched = {false};
            ClassFileTransformer patcher = new ClassFileTransformer() {
                @Override
                public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
                        ProtectionDomain domain, byte[] classFile) {
                    // the name too: classes loaded while Runtime is retransformed may be handed
                    // over with Runtime as the class being redefined
                    if (redefined != Runtime.class || !"java/lang/Runtime".equals(name)) {
                        return null;
                    }
                    try {
                        byte[] out = RuntimeExitPatch.patch(classFile);
                        patched[0] = true;
                        return out;
                    } catch (RuntimeException e) {
                        Log.warn("cannot patch java.lang.Runtime: " + e);
                        return null;
                    }
                }
            };
            inst.addTransformer(patcher, true);
            try {
                inst.retransformClasses(Runtime.class);
            } finally {
                inst.removeTransformer(patcher);
            }
            installed = patched[0];
        } catch (Exception | LinkageError e) {
            Log.warn("the exit guard could not be installed (" + e + "); System.exit reached from a cell"
                    + " through a method reference, reflection or a library will end the kernel");
        }
    }

    /** Looks the gate up as the patched methods will, so that a failure shows now and not at an exit. */
    private static void checkGateIsReachable() throws ReflectiveOperationException {
        Class<?> gate = Class.forName(RuntimeExitPatch.GATE, true, ClassLoader.getSystemClassLoader());
        if (gate != ExitGate.class) {
            throw new IllegalStateException(RuntimeExitPatch.GATE + " of the system class loader is not the agent's");
        }
        MethodHandles.publicLookup().findStatic(gate, RuntimeExitPatch.CHECK,
                MethodType.fromMethodDescriptorString(RuntimeExitPatch.CHECK_TYPE, null));
    }
}
