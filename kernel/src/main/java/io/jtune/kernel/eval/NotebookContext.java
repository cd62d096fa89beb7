package io.jtune.kernel.eval;

import io.jtune.kernel.display.DisplaySink;
import io.jtune.kernel.magic.MagicContext;
import io.jtune.kernel.magic.MagicException;
import io.jtune.kernel.magic.MagicRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/** What a magic sees of the notebook: its scope, class path, output and variables. */
final class NotebookContext implements MagicContext {
    private final JShellEvaluator evaluator;
    private final CellIO io;

    NotebookContext(JShellEvaluator evaluator, CellIO io) {
        this.evaluator = evaluator;
        this.io = io;
    }

    @Override
    public Object eval(String code) throws Exception {
        CellResult r = evaluator.runner().runCell(code, io);
        if (!r.ok()) {
            if (r.interrupted()) {
                throw new InterruptedException(r.error().evalue());
            }
            throw new MagicException(r.error().ename() + ": " + r.error().evalue()
                    + (r.error().traceback().isEmpty() ? "" : "\n" + String.join("\n", r.error().traceback())));
        }
        return r.value();
    }

    @Override
    public void addToClasspath(List<Path> entries) {
        entries.forEach(evaluator::addClasspathEntry);
    }

    @Override
    public List<Path> classpath() {
        return evaluator.classpath();
    }

    /** Parks the value and declares {@code Type name = (Type) Bindings.take(key);}, falling back to Object. */
    @Override
    public void bind(String name, Object value) throws Exception {
        String type = Bindings.typeName(value);
        CellResult r = declare(type, name, value);
        if (!r.ok() && !type.equals("Object")) {
            r = declare("Object", name, value);
        }
        if (!r.ok()) {
            throw new MagicException("cannot bind '" + name + "': " + r.error().evalue());
        }
    }

    private CellResult declare(String type, String name, Object value) {
        String key = Bindings.park(value);
        CellResult r = evaluator.runner().runJava(type + " " + name + " = (" + type + ") io.jtune.kernel.eval.Bindings.take(\""
                + key + "\");", 1, new HashMap<>());
        Bindings.take(key); // gone already when the declaration ran; dropped here when it did not compile
        return r;
    }

    @Override
    public PrintStream out() {
        return OutputRouter.out();
    }

    @Override
    public DisplaySink display() {
        return io;
    }

    @Override
    public MagicRegistry registry() {
        return evaluator.magics();
    }

    @Override
    public Path workingDirectory() {
        return evaluator.options().workingDirectory();
    }
}
