package io.jtune.kernel.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.eval.CellError;
import io.jtune.kernel.eval.CellIO;
import io.jtune.kernel.eval.CellResult;
import io.jtune.kernel.protocol.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects a cell's output as nbformat 4 output objects, as nbclient does: consecutive stream
 * text of one name is merged, {@code update_display_data} rewrites every earlier output with
 * that display id (in any cell), {@code clear_output(wait)} clears at the next output. Each
 * output is also echoed to the console in a readable form.
 */
final class OutputCollector implements CellIO {
    /** The console shows an updated display at most this often (the notebook keeps every update). */
    private static final long ECHO_EVERY_NANOS = 5_000_000_000L;
    private final java.util.Map<String, Long> lastEcho = new java.util.HashMap<>();

    private final PrintStream console;
    private final Map<String, List<ObjectNode>> byDisplayId = new HashMap<>();
    private ArrayNode outputs;
    private int count;
    private boolean clearPending;

    OutputCollector(PrintStream console) {
        this.console = console;
    }

    synchronized void startCell(ArrayNode outputs, int executionCount) {
        this.outputs = outputs;
        this.count = executionCount;
        this.clearPending = false;
    }

    @Override
    public synchronized void stream(String name, String text) {
        applyPendingClear();
        JsonNode last = outputs.isEmpty() ? null : outputs.get(outputs.size() - 1);
        if (last != null && "stream".equals(last.path("output_type").asText()) && name.equals(last.path("name").asText())) {
            ((ObjectNode) last).put("text", last.path("text").asText() + text);
        } else {
            outputs.addObject().put("output_type", "stream").put("name", name).put("text", text);
        }
        console.print(text);
    }

    @Override
    public synchronized void display(MimeBundle bundle, String displayId, boolean update) {
        if (update) {
            for (ObjectNode o : byDisplayId.getOrDefault(displayId, List.of())) {
                o.set("data", Json.MAPPER.valueToTree(bundle.data()));
                o.set("metadata", Json.MAPPER.valueToTree(bundle.metadata()));
            }
            long now = System.nanoTime();
            Long last = lastEcho.get(displayId);
            if (last == null || now - last >= ECHO_EVERY_NANOS) { // a live progress bar updates many times a second
                lastEcho.put(displayId, now);
                console.println("[display " + shortId(displayId) + " updated] " + summary(bundle));
            }
            return;
        }
        applyPendingClear();
        ObjectNode o = outputs.addObject().put("output_type", "display_data");
        o.set("data", Json.MAPPER.valueToTree(bundle.data()));
        o.set("metadata", Json.MAPPER.valueToTree(bundle.metadata()));
        if (displayId != null) {
            byDisplayId.computeIfAbsent(displayId, k -> new ArrayList<>()).add(o);
        }
        console.println(summary(bundle));
    }

    @Override
    public synchronized void clearOutput(boolean wait) {
        if (wait) {
            clearPending = true;
        } else {
            outputs.removeAll();
        }
    }

    @Override
    public String input(String prompt, boolean password) throws IOException {
        throw new IOException("stdin is not available: headless runs take no input (as in nbconvert)");
    }

    synchronized void finish(CellResult result, long timedOutAfter) {
        if (result.ok() && result.hasValue()) {
            applyPendingClear();
            ObjectNode o = outputs.addObject().put("output_type", "execute_result").put("execution_count", count);
            o.set("data", Json.MAPPER.valueToTree(result.bundle().data()));
            o.set("metadata", Json.MAPPER.valueToTree(result.bundle().metadata()));
            console.println("Out[" + count + "]: " + summary(result.bundle()));
        } else if (!result.ok()) {
            CellError e = timedOutAfter > 0
                    ? new CellError("CellTimeoutError", "the cell did not finish within " + timedOutAfter + " s",
                        List.of("CellTimeoutError: the cell did not finish within " + timedOutAfter + " s"))
                    : result.error();
            applyPendingClear();
            ObjectNode o = outputs.addObject().put("output_type", "error").put("ename", e.ename()).put("evalue", e.evalue());
            ArrayNode tb = o.putArray("traceback");
            e.traceback().forEach(tb::add);
            console.println(String.join("\n", e.traceback()));
        }
    }

    private void applyPendingClear() {
        if (clearPending) {
            outputs.removeAll();
            clearPending = false;
        }
    }

    private static String summary(MimeBundle b) {
        Object text = b.get(MimeBundle.TEXT_PLAIN);
        List<String> rich = new ArrayList<>(b.data().keySet());
        rich.remove(MimeBundle.TEXT_PLAIN);
        String t = text == null ? "" : text.toString();
        return rich.isEmpty() ? t : t + "  [" + String.join(", ", rich) + "]";
    }

    private static String shortId(String id) {
        return id == null ? "?" : id.substring(0, Math.min(8, id.length()));
    }
}
