package io.jtune.kernel.eval;

import io.jtune.kernel.log.Log;
import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites the classes of each cell before they are loaded, so that a running cell can be stopped
 * on any JDK (Thread.stop is gone from JDK 20 on) and cannot take the kernel down:
 * <ul>
 *   <li>{@code CellControl.check()} at every method start and before every backward branch
 *       (every loop iteration), the same points JDK 22's own jshell instruments;</li>
 *   <li>calls of {@code System.exit}, {@code Runtime.exit} and {@code Runtime.halt} become calls of
 *       {@link CellControl} that fail the cell instead.</li>
 * </ul>
 * Only cell code is rewritten; library code on the class path runs as it is.
 */
final class StopCheckInstrumenter {
    private static final String CONTROL = CellControl.class.getName().replace('.', '/');

    private StopCheckInstrumenter() {}

    static byte[] instrument(String className, byte[] classFile) {
        try {
            ClassReader reader = new ClassReader(classFile);
            ClassWriter writer = new ClassWriter(reader, 0);
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                        String[] exceptions) {
                    MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                    return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 ? mv : new Weaver(mv);
                }
            }, 0);
            return writer.toByteArray();
        } catch (RuntimeException e) {
            // A class file newer than ASM knows: load it as it is; only interrupt falls back.
            Log.warn("cannot instrument " + className + " (" + e + "); interrupt may not stop its loops");
            return classFile;
        }
    }

    private static final class Weaver extends MethodVisitor {
        private final Set<Label> seen = new HashSet<>();

        Weaver(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            check();
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (seen.contains(label)) {
                check();
            }
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (opcode == Opcodes.INVOKESTATIC && owner.equals("java/lang/System")
                    && name.equals("exit") && descriptor.equals("(I)V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, CONTROL, "exit", "(I)V", false);
            } else if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals("java/lang/Runtime")
                    && (name.equals("exit") || name.equals("halt")) && descriptor.equals("(I)V")) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, CONTROL,
                        name.equals("exit") ? "runtimeExit" : "runtimeHalt", "(Ljava/lang/Runtime;I)V", false);
            } else {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            }
        }

        private void check() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, CONTROL, "check", "()V", false);
        }
    }
}
