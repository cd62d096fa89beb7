package io.jtune.kernel;

import io.jtune.kernel.eval.History;
import io.jtune.kernel.eval.KernelOptions;
import io.jtune.kernel.eval.JShellEvaluator;
import io.jtune.kernel.install.KernelspecInstaller;
import io.jtune.kernel.log.Log;
import io.jtune.kernel.magic.MagicRegistry;
import io.jtune.kernel.protocol.ConnectionInfo;
import io.jtune.kernel.run.NotebookRunner;
import io.jtune.kernel.server.JupyterKernel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The command line behind the {@code ./jtune} launcher. */
public final class Main {
    private static final String USAGE = """
            usage: jtune COMMAND [ARGS]
              install [--user | --prefix DIR] [--name NAME] [--java-opts "OPTS"]
                                   write a Jupyter kernelspec for jtune
              uninstall [--user | --prefix DIR] [--name NAME]
                                   remove it
              kernel CONNECTION_FILE
                                   run the kernel (what kernel.json runs)
              run NOTEBOOK.ipynb [--out OUT.ipynb] [--allow-errors] [--timeout SECONDS] [--quiet]
                                   execute a notebook headlessly and write its outputs
              generate MODEL [--prompt TEXT | --ids 1,2,3] [--chat] [--max-new-tokens N] ...
                                   generate text with a Hugging Face model (jtune generate --help)
              next-token MODEL [--prompt TEXT | --ids 1,2,3] [--top K] [--json]
                                   the next-token distribution at the last position
              tiny-model DIR [--arch llama|qwen2] [--size test|demo] [--seed N]
                                   write a small Hugging Face model folder with random weights
            """;

    private Main() {}

    public static void main(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int code;
        try {
            code = switch (args[0]) {
                case "kernel" -> kernel(rest);
                case "warmup" -> Warmup.run();
                case "install" -> KernelspecInstaller.main(rest, false);
                case "uninstall" -> KernelspecInstaller.main(rest, true);
                case "run" -> NotebookRunner.main(rest);
                default -> {
                    System.err.println("jtune: unknown command '" + args[0] + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (UsageException e) {
            System.err.println("jtune " + args[0] + ": " + e.getMessage() + "\n" + USAGE);
            code = 2;
        } catch (Exception e) {
            System.err.println("jtune " + args[0] + ": " + e.getMessage());
            if (Log.debugEnabled()) {
                e.printStackTrace();
            }
            code = 1;
        }
        exit(code);
    }

    private static int kernel(List<String> args) throws Exception {
        if (args.size() != 1) {
            throw new UsageException("kernel takes one argument, the connection file");
        }
        Log.debug("kernel starting");
        ConnectionInfo info = ConnectionInfo.read(Path.of(args.get(0)));
        Log.debug("connection file read");
        MagicRegistry magics = MagicRegistry.withBuiltins();
        Log.debug("magics registered");
        JShellEvaluator evaluator = new JShellEvaluator(KernelOptions.fromEnvironment(), magics);
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

    /** Exits even if user code left non-daemon threads or a shutdown hook hangs. */
    static void exit(int code) {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                return;
            }
            Runtime.getRuntime().halt(code);
        }, "jtune-exit-watchdog");
        halt.setDaemon(true);
        halt.start();
        System.exit(code);
    }

    /** A command line the user got wrong; the usage follows the message. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }
}
