package io.jtune.kernel.agent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites the class file of {@code java.lang.Runtime}: {@code exit(int)} and {@code halt(int)}
 * begin with the equivalent of
 * <pre>{@code
 * MethodHandles.publicLookup()
 *         .findStatic(Class.forName(GATE, true, ClassLoader.getSystemClassLoader()),
 *                 "check", MethodType.methodType(void.class, String.class, int.class))
 *         .invokeExact("exit", status);   // "halt" in halt(int)
 * }</pre>
 * Only {@code java.base} is named in the bytecode, so the gate can stay on the class path (an
 * agent that appends to the bootstrap class path turns class data sharing off for every class
 * not loaded by the boot loader), and {@code invokeExact} lets the gate's error through
 * unwrapped. Nothing else changes (no new members, no branches), as retransformation requires;
 * {@code System.exit} calls {@code Runtime.exit}, so it passes the gate too.
 */
final class RuntimeExitPatch {
    /** The gate's binary name. */
    static final String GATE = ExitGate.class.getName();
    static final String CHECK = "check";
    static final String CHECK_TYPE = "(Ljava/lang/String;I)V";

    private RuntimeExitPatch() {}

    /**
     * The class file with both methods patched.
     *
     * @throws IllegalStateException when the class has not exactly one {@code exit(int)} and one
     *     {@code halt(int)} instance method
     */
    static byte[] patch(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        int[] patched = {0};
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                boolean gated = (name.equals("exit") || name.equals("halt")) && descriptor.equals("(I)V")
                        && (access & Opcodes.ACC_STATIC) == 0;
                if (!gated) {
                    return mv;
                }
                patched[0]++;
                return new MethodVisitor(Opcodes.ASM9, mv) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        callGate(this, name);
                    }
                };
            }
        }, 0);
        if (patched[0] != 2) {
            throw new IllegalStateException(reader.getClassName() + " has " + patched[0]
                    + " of the methods exit(int) and halt(int), not both");
        }
        return writer.toByteArray();
    }

    /** Emits the call of the gate; the stack is as before afterwards (at most four slots used). */
    private static void callGate(MethodVisitor mv, String method) {
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "publicLookup",
                "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
        mv.visitLdcInsn(GATE);
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/ClassLoader", "getSystemClassLoader",
                "()Ljava/lang/ClassLoader;", false);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Class", "forName",
                "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;", false);
        mv.visitLdcInsn(CHECK);
        mv.visitLdcInsn(Type.getMethodType(CHECK_TYPE));
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/invoke/MethodHandles$Lookup", "findStatic",
                "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/invoke/MethodType;)Ljava/lang/invoke/MethodHandle;",
                false);
        mv.visitLdcInsn(method);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/invoke/MethodHandle", "invokeExact", CHECK_TYPE, false);
    }
}
