package io.jtune.kernel.api;

import io.jtune.kernel.eval.CellCallbacks;
import io.jtune.kernel.eval.EvaluatorOptions;
import io.jtune.kernel.magic.MagicRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The running kernel as code in a cell sees it, from {@code getKernelInstance()} (IJava's name):
 * its class path, its magics and its options. The {@code get...} spellings of IJava's
 * {@code JavaKernel} are kept beside the shorter names.
 */
public final class NotebookKernel {
    private final CellCallbacks notebook;

    NotebookKernel(CellCallbacks notebook) {
        this.notebook = notebook;
    }

    /** The class path entries added to the notebook so far (options, magics, this handle), in order. */
    public List<Path> classpath() {
        return notebook.classpath();
    }

    /**
     * Adds jars or class folders to the notebook's class path, compiler and class loader both;
     * relative paths resolve against the notebook's folder. Entries already there are skipped.
     *
     * @return the entries that were added
     * @throws IllegalArgumentException naming a path that does not exist
     */
    public List<Path> addToClasspath(String... paths) {
        List<Path> entries = new ArrayList<>();
        for (String p : paths) {
            Path abs = workingDirectory().resolve(p).toAbsolutePath().normalize();
            if (!java.nio.file.Files.exists(abs)) {
                throw new IllegalArgumentException("cannot add " + p + " to the class path: " + abs + " does not exist");
            }
            entries.add(abs);
        }
        List<Path> before = classpath();
        NotebookFunctions.call(() -> {
            notebook.addToClasspath(entries);
            return null;
        });
        return entries.stream().filter(e -> !before.contains(e)).distinct().toList();
    }

    /** IJava's spelling of {@link #addToClasspath(String...)} for one path. */
    public void addToClasspath(Path path) {
        addToClasspath(path.toString());
    }

    /** The magics this kernel knows; register new ones here and they work in the next cell. */
    public MagicRegistry magics() {
        return notebook.magics();
    }

    /** IJava's spelling of {@link #magics()}. */
    public MagicRegistry getMagics() {
        return magics();
    }

    /** Evaluates code in the notebook's scope; see {@link NotebookFunctions#eval}. */
    public Object eval(String code) {
        return NotebookFunctions.call(() -> notebook.eval(code));
    }

    /** IJava's spelling of {@link #eval(String)}. */
    public Object evalRaw(String code) {
        return eval(code);
    }

    /** How the notebook was set up: extra class path, compiler options, startup code, time limit. */
    public EvaluatorOptions options() {
        return notebook.options();
    }

    /** The folder relative paths resolve against (the notebook's). */
    public Path workingDirectory() {
        return notebook.options().workingDirectory();
    }

    @Override
    public String toString() {
        return "jtune kernel (" + classpath().size() + " added class path entries, "
                + magics().all().size() + " magics)";
    }
}
