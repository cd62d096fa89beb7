package io.jtune.kernel.eval;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/** Jars compiled on the fly, for class path tests. */
final class JarFixtures {
    private JarFixtures() {}

    /** A jar holding public class {@code name} whose toString() is {@code text}. */
    static byte[] jarWithClass(String name, String text) throws IOException {
        int dot = name.lastIndexOf('.');
        String pkg = name.substring(0, dot);
        String simple = name.substring(dot + 1);
        String source = "package " + pkg + "; public class " + simple + " { public String toString() { return \""
                + text + "\"; } }";
        byte[] bytes = compile(name, source);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out)) {
            jar.putNextEntry(new JarEntry(name.replace('.', '/') + ".class"));
            jar.write(bytes);
            jar.closeEntry();
        }
        return out.toByteArray();
    }

    private static byte[] compile(String name, String source) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream classBytes = new ByteArrayOutputStream();
        JavaFileObject src = new SimpleJavaFileObject(URI.create("string:///" + name.replace('.', '/') + ".java"),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavaFileManager files = new ForwardingJavaFileManager<>(javac.getStandardFileManager(null, null, null)) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className + ".class"), kind) {
                    @Override
                    public java.io.OutputStream openOutputStream() {
                        return classBytes;
                    }
                };
            }
        };
        if (!javac.getTask(null, files, null, List.of("--release", "17"), null, List.of(src)).call()) {
            throw new IOException("fixture " + name + " does not compile");
        }
        return classBytes.toByteArray();
    }

}
