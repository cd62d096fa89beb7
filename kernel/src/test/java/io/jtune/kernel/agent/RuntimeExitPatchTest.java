package io.jtune.kernel.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RuntimeExitPatchTest {
    /** Stands in for java.lang.Runtime, which cannot be redefined in a test: the same two methods. */
    public static final class FakeRuntime {
        public final List<String> calls = new ArrayList<>();

        public void exit(int status) {
            calls.add("exit " + status);
        }

        public void halt(int status) {
            calls.add("halt " + status);
        }

        public void exit(String notTheOne) {
            calls.add("other " + notTheOne);
        }
    }

    /** Refused, as the kernel's hook refuses. */
    static final class Refused extends Error {
        Refused(String what) {
            super(what);
        }
    }

    @AfterEach
    void noHook() {
        ExitGate.setHook(null);
    }

    private static byte[] classFile(String resource) throws IOException {
        try (InputStream in = ClassLoader.getSystemResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }

    private static Object patchedFake() throws Exception {
        String name = FakeRuntime.class.getName();
        byte[] patched = RuntimeExitPatch.patch(classFile(name.replace('.', '/') + ".class"));
        ClassLoader loader = new ClassLoader(RuntimeExitPatchTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                if (n.equals(name)) {
                    synchronized (getClassLoadingLock(n)) {
                        Class<?> c = findLoadedClass(n);
                        return c != null ? c : defineClass(n, patched, 0, patched.length);
                    }
                }
                return super.loadClass(n, resolve);
            }
        };
        return loader.loadClass(name).getConstructor().newInstance();
    }

    private static Throwable call(Object fake, String method, int status) throws Exception {
        Method m = fake.getClass().getMethod(method, int.class);
        try {
            m.invoke(fake, status);
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> calls(Object fake) throws Exception {
        return (List<String>) fake.getClass().getField("calls").get(fake);
    }

    @Test
    void patchedExitAndHaltAskTheGateFirstAndItsErrorComesThroughUnwrapped() throws Exception {
        Object fake = patchedFake();
        List<String> asked = new ArrayList<>();
        ExitGate.setHook((method, status) -> {
            asked.add(method + " " + status);
            throw new Refused(method);
        });
        assertTrue(call(fake, "exit", 3) instanceof Refused);
        assertTrue(call(fake, "halt", 4) instanceof Refused);
        assertEquals(List.of("exit 3", "halt 4"), asked);
        assertEquals(List.of(), calls(fake), "a refused exit does not run the method");
        fake.getClass().getMethod("exit", String.class).invoke(fake, "x");
        assertEquals(List.of("other x"), calls(fake), "only exit(int) and halt(int) are gated");
    }

    @Test
    void aGateThatReturnsLetsTheMethodRun() throws Exception {
        Object fake = patchedFake();
        ExitGate.setHook((method, status) -> { });
        assertEquals(null, call(fake, "exit", 0));
        ExitGate.setHook(null);
        assertEquals(null, call(fake, "halt", 1));
        assertEquals(List.of("exit 0", "halt 1"), calls(fake));
    }

    @Test
    void theRunningJdksRuntimeHasBothMethodsToPatch() throws Exception {
        byte[] runtime = classFile("java/lang/Runtime.class");
        byte[] patched = RuntimeExitPatch.patch(runtime);
        assertTrue(patched.length > runtime.length);
        assertArrayEquals(java.util.Arrays.copyOf(runtime, 8), java.util.Arrays.copyOf(patched, 8),
                "same magic and class file version");
    }

    @Test
    void aClassWithoutTheMethodsIsRefused() throws Exception {
        byte[] gate = classFile(ExitGate.class.getName().replace('.', '/') + ".class");
        assertThrows(IllegalStateException.class, () -> RuntimeExitPatch.patch(gate));
    }
}
