package io.jtune.kernel.magic;

import io.jtune.kernel.display.DisplaySink;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** What a magic may do to the notebook it runs in. Implemented by the evaluator. */
public interface MagicContext {
    /**
     * Evaluates Java code (and magics) in the notebook's own scope, as a cell would, and returns
     * the value of its last expression (null for statements and declarations).
     *
     * @throws MagicException when the code does not compile or throws
     */
    Object eval(String code) throws Exception;

    /** Adds jars or class folders to the notebook's class path (compiler and class loader). */
    void addToClasspath(List<Path> entries);

    /** The notebook's class path entries added so far, in order. */
    List<Path> classpath();

    /** Binds {@code value} to a notebook variable {@code name} typed as the value's class. */
    void bind(String name, Object value) throws Exception;

    /** Where a magic prints (the cell's stdout stream). */
    PrintStream out();

    /** The cell's display output. */
    DisplaySink display();

    /** The registry, for %lsmagic and %help. */
    MagicRegistry registry();

    /** The folder relative paths are resolved against (the notebook's folder). */
    Path workingDirectory();
}
