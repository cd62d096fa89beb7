package io.jtune.kernel.cli;

import io.jtune.kernel.magic.MagicRegistry;
import io.jtune.kernel.run.NotebookHtml;
import io.jtune.kernel.run.NotebookRunner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jtune run NOTEBOOK.ipynb}: executes a notebook headlessly, as {@code nbconvert --execute}. */
@Command(name = "run", description = "Execute a notebook headlessly and write its outputs")
final class RunCommand implements Callable<Integer> {
    private final Supplier<MagicRegistry> magics;

    @Parameters(paramLabel = "NOTEBOOK.ipynb", description = "The notebook to run (in its own folder)")
    Path notebook;

    @Option(names = "--out", paramLabel = "OUT.ipynb",
            description = "Where to write the executed notebook (default: NAME.nbconvert.ipynb beside it)")
    Path out;

    @Option(names = "--allow-errors", description = "Run every cell even after one fails, and exit 0")
    boolean allowErrors;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Interrupt a cell that runs longer (0: never)")
    long timeout;

    @Option(names = "--quiet", description = "Do not echo the cells and their output")
    boolean quiet;

    @Option(names = "--html", paramLabel = "OUT.html", description = "Also write the executed notebook as an HTML page")
    Path html;

    RunCommand(Supplier<MagicRegistry> magics) {
        this.magics = magics;
    }

    @Override
    public Integer call() throws Exception {
        int code = NotebookRunner.runFile(notebook, out, allowErrors, timeout, quiet, magics.get());
        if (html != null) {
            Path written = out != null ? out : NotebookRunner.defaultOut(notebook);
            if (java.nio.file.Files.isRegularFile(written)) {
                NotebookHtml.write(written, html);
                System.out.println("[jtune run] HTML written to " + html);
            }
        }
        return code;
    }
}
