package io.jtune.kernel.cli;

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
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import picocli.CommandLine.Command;

/**
 * Loads the classes a kernel start needs, so the launcher can record them in a class data
 * sharing archive ({@code -XX:ArchiveClassesAtExit}): message codec, sockets, JShell and a cell.
 */
@Command(name = "warmup", hidden = true,
        description = "Load what a kernel start loads (the launcher records it for class data sharing)")
final class Warmup implements Callable<Integer> {
    private final Supplier<MagicRegistry> magics;

    Warmup(Supplier<MagicRegistry> magics) {
        this.magics = magics;
    }

    @Override
    public Integer call() throws Exception {
        WireCodec codec = new WireCodec(new Signer("warmup"));
        Message m = Message.create("warmup", "kernel_info_request", null, Json.object().put("code", "1 + 1"));
        codec.decode(codec.encode(m.withIdentities(List.of(new byte[] {1}))));
        try (ZContext context = new ZContext()) {
            context.createSocket(SocketType.ROUTER).bind("inproc://warmup");
        }
        try (JShellEvaluator evaluator = new JShellEvaluator(EvaluatorOptions.defaults(), magics.get())) {
            evaluator.execute("int warm = 1 + 1;\nwarm", CellIO.SILENT);
            evaluator.complete("Str", 3);
        }
        Renderers.render("warm");
        return 0;
    }
}
