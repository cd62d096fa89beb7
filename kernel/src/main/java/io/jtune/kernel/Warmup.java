package io.jtune.kernel;

import io.jtune.kernel.display.Renderers;
import io.jtune.kernel.eval.CellIO;
import io.jtune.kernel.eval.EvaluatorOptions;
import io.jtune.kernel.eval.JShellEvaluator;
import io.jtune.kernel.magic.MagicRegistry;
import io.jtune.kernel.protocol.Json;
import io.jtune.kernel.protocol.Message;
import io.jtune.kernel.protocol.Signer;
import io.jtune.kernel.protocol.WireCodec;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;

/**
 * Loads the classes a kernel start needs, so the launcher can record them in a class data
 * sharing archive ({@code -XX:ArchiveClassesAtExit}): message codec, sockets, JShell and a cell.
 */
final class Warmup {
    private Warmup() {}

    static int run() throws Exception {
        WireCodec codec = new WireCodec(new Signer("warmup"));
        Message m = Message.create("warmup", "kernel_info_request", null, Json.object().put("code", "1 + 1"));
        codec.decode(codec.encode(m.withIdentities(List.of(new byte[] {1}))));
        try (ZContext context = new ZContext()) {
            context.createSocket(SocketType.ROUTER).bind("inproc://warmup");
        }
        try (JShellEvaluator evaluator = new JShellEvaluator(EvaluatorOptions.defaults(), MagicRegistry.withBuiltins())) {
            evaluator.execute("int warm = 1 + 1;\nwarm", CellIO.SILENT);
            evaluator.complete("Str", 3);
        }
        Renderers.render("warm");
        return 0;
    }
}
