package io.jtune.kernel.cli;

import io.jtune.kernel.eval.History;
import io.jtune.kernel.eval.JShellEvaluator;
import io.jtune.kernel.eval.KernelOptions;
import io.jtune.kernel.log.Log;
import io.jtune.kernel.magic.MagicRegistry;
import io.jtune.kernel.protocol.ConnectionInfo;
import io.jtune.kernel.server.JupyterKernel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jtune kernel CONNECTION_FILE}: serves one Jupyter session until it shuts the kernel down. */
@Command(name = "kernel", description = "Run the kernel (what kernel.json runs)")
final class KernelCommand implements Callable<Integer> {
    private final Supplier<MagicRegistry> magics;

    @Parameters(paramLabel = "CONNECTION_FILE", description = "The connection file Jupyter wrote")
    Path connectionFile;

    KernelCommand(Supplier<MagicRegistry> magics) {
        this.magics = magics;
    }

    @Override
    public Integer call() throws Exception {
        Log.debug("kernel starting");
        ConnectionInfo info = ConnectionInfo.read(connectionFile);
        Log.debug("connection file read");
        MagicRegistry registry = magics.get();
        Log.debug("magics registered");
        JShellEvaluator evaluator = new JShellEvaluator(KernelOptions.fromEnvironment(), registry);
        Log.debug("evaluator created");
        History history = new History(History.defaultFile());
        Log.info("jtune kernel on Java " + Runtime.version() + ", session history #" + history.session());
        JupyterKernel kernel = new JupyterKernel(info, evaluator, history);
        Log.debug("sockets bound");
        evaluator.start();
        kernel.run();
        evaluator.close();
        return 0;
    }
}
