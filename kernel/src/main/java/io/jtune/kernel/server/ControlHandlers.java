package io.jtune.kernel.server;

import io.jtune.kernel.eval.JShellEvaluator;
import io.jtune.kernel.protocol.Channel;
import io.jtune.kernel.protocol.Json;
import io.jtune.kernel.protocol.Message;

/** Control requests on the {@code jtune-control} thread: answered even while a cell runs. */
final class ControlHandlers {
    private final JupyterKernel kernel;
    private final Publisher out;
    private final JShellEvaluator evaluator;

    ControlHandlers(JupyterKernel kernel, Publisher out, JShellEvaluator evaluator) {
        this.kernel = kernel;
        this.out = out;
        this.evaluator = evaluator;
    }

    void handle(Message m) {
        out.status(m, "busy");
        switch (m.type()) {
            case "interrupt_request" -> {
                Thread stopper = new Thread(evaluator::interrupt, "jtune-interrupt");
                stopper.setDaemon(true);
                stopper.start();
                out.reply(Channel.CONTROL, m, "interrupt_reply", Json.object().put("status", "ok"));
            }
            case "shutdown_request" -> {
                boolean restart = m.content().path("restart").asBoolean(false);
                out.reply(Channel.CONTROL, m, "shutdown_reply", Json.object().put("status", "ok").put("restart", restart));
                out.status(m, "idle");
                kernel.shutdown(restart);
                return;
            }
            case "kernel_info_request" -> out.reply(Channel.CONTROL, m, "kernel_info_reply", KernelInfo.content());
            default -> ShellHandlers.unknown(Channel.CONTROL, out, m);
        }
        out.status(m, "idle");
    }
}
