package io.jtune.kernel.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.kernel.log.Log;
import io.jtune.kernel.comm.CommRegistry;
import io.jtune.kernel.eval.CellIO;
import io.jtune.kernel.eval.CellResult;
import io.jtune.kernel.eval.CodeAnalysis;
import io.jtune.kernel.eval.History;
import io.jtune.kernel.eval.JShellEvaluator;
import io.jtune.kernel.protocol.Channel;
import io.jtune.kernel.protocol.Json;
import io.jtune.kernel.protocol.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

/** Shell requests, one at a time on the {@code jtune-shell} thread. */
final class ShellHandlers {
    /** A cell that is only one of these asks the front end to exit (JShell's /exit, IPython's exit). */
    private static final java.util.Set<String> EXIT_COMMANDS = java.util.Set.of("/exit", "exit", "quit");

    private final JupyterKernel kernel;
    private final Publisher out;
    private final JShellEvaluator evaluator;
    private final History history;
    private final BlockingQueue<Message> inputReplies;
    private int executionCount;
    private long abortThrough = -1;
    private volatile Message current;

    ShellHandlers(JupyterKernel kernel, Publisher out, JShellEvaluator evaluator, History history,
            BlockingQueue<Message> inputReplies) {
        this.kernel = kernel;
        this.out = out;
        this.evaluator = evaluator;
        this.history = history;
        this.inputReplies = inputReplies;
    }

    /** The request being handled (or the last one): the parent of comm messages sent from cells. */
    Message currentRequest() {
        return current;
    }

    void handle(JupyterKernel.Arrival arrival) {
        Message m = arrival.message();
        current = m;
        out.status(m, "busy");
        try {
            switch (m.type()) {
                case "execute_request" -> {
                    if (arrival.seq() <= abortThrough) {
                        out.reply(Channel.SHELL, m, "execute_reply", Json.object().put("status", "aborted")
                                .put("execution_count", executionCount));
                    } else {
                        execute(arrival, m);
                    }
                }
                case "kernel_info_request" -> out.reply(Channel.SHELL, m, "kernel_info_reply", KernelInfo.content());
                case "complete_request" -> complete(m);
                case "inspect_request" -> inspect(m);
                case "is_complete_request" -> isComplete(m);
                case "history_request" -> history(m);
                case "comm_info_request" -> commInfo(m);
                case "comm_open" -> commOpen(m);
                case "comm_msg" -> commMsg(m);
                case "comm_close" -> commClose(m);
                case "shutdown_request" -> {
                    boolean restart = m.content().path("restart").asBoolean(false);
                    out.reply(Channel.SHELL, m, "shutdown_reply", Json.object().put("status", "ok").put("restart", restart));
                    out.status(m, "idle");
                    kernel.shutdown(restart);
                    return;
                }
                default -> unknown(Channel.SHELL, out, m);
            }
        } catch (RuntimeException | Error e) {
            Log.warn("failed to handle " + m.type(), e);
            internalError(m, e);
        } finally {
            out.status(m, "idle");
        }
    }

    /**
     * The kernel itself failed while handling {@code m}: an error reply and, for a cell, an error
     * output too, so that the front end shows something; the kernel goes on serving.
     */
    private void internalError(Message m, Throwable e) {
        String text = "jtune failed while handling " + m.type() + ": " + e
                + ". The kernel is still running; the kernel log has the details.";
        ObjectNode reply = error("KernelError", text);
        ArrayNode tb = reply.putArray("traceback").add("KernelError: " + text);
        try {
            if (m.type().equals("execute_request")) {
                reply.put("execution_count", executionCount);
                if (!m.content().path("silent").asBoolean(false)) {
                    ObjectNode output = Json.object().put("ename", "KernelError").put("evalue", text);
                    output.set("traceback", tb.deepCopy());
                    out.iopub("error", m, output);
                }
            }
            out.reply(Channel.SHELL, m, replyType(m.type()), reply);
        } catch (RuntimeException again) {
            Log.warn("could not report the failure of " + m.type(), again);
        }
    }

    private void execute(JupyterKernel.Arrival arrival, Message m) {
        JsonNode c = m.content();
        String code = c.path("code").asText("");
        boolean silent = c.path("silent").asBoolean(false);
        boolean storeHistory = !silent && c.path("store_history").asBoolean(true);
        boolean allowStdin = c.path("allow_stdin").asBoolean(true);
        boolean stopOnError = c.path("stop_on_error").asBoolean(true);
        if (storeHistory) {
            executionCount++;
        }
        int count = executionCount;
        if (!silent) {
            out.iopub("execute_input", m, Json.object().put("code", code).put("execution_count", count));
        }
        if (EXIT_COMMANDS.contains(code.strip())) {
            // as in IPython: the front end (jupyter-console) is asked to end the session
            ObjectNode reply = Json.object().put("status", "ok").put("execution_count", count);
            reply.putObject("user_expressions");
            reply.putArray("payload").addObject().put("source", "ask_exit").put("keepkernel", false);
            out.reply(Channel.SHELL, m, "execute_reply", reply);
            return;
        }
        CellIO io = silent ? CellIO.SILENT : new KernelCellIO(out, m, allowStdin, inputReplies);
        CellResult result = evaluator.execute(code, io);
        if (storeHistory) {
            history.add(count, code);
        }
        ObjectNode reply;
        if (result.ok()) {
            if (result.hasValue() && !silent) {
                ObjectNode content = Bundles.toContent(result.bundle());
                content.put("execution_count", count);
                out.iopub("execute_result", m, content);
            }
            reply = Json.object().put("status", "ok").put("execution_count", count);
            reply.set("user_expressions", userExpressions(c.path("user_expressions")));
            reply.putArray("payload");
        } else {
            var err = result.error();
            ObjectNode error = error(err.ename(), err.evalue());
            ArrayNode tb = error.putArray("traceback");
            err.traceback().forEach(tb::add);
            if (!silent) {
                // the output carries exactly nbformat's fields: front ends copy it into the notebook
                ObjectNode output = Json.object().put("ename", err.ename()).put("evalue", err.evalue());
                output.set("traceback", tb.deepCopy());
                out.iopub("error", m, output);
            }
            reply = error.put("execution_count", count);
            if (stopOnError) {
                abortThrough = kernel.lastArrival();
            }
        }
        out.reply(Channel.SHELL, m, "execute_reply", reply);
    }

    private ObjectNode userExpressions(JsonNode expressions) {
        ObjectNode results = Json.object();
        expressions.fields().forEachRemaining(e -> {
            CellResult r = evaluator.evaluateExpression(e.getValue().asText());
            if (r.ok() && r.hasValue()) {
                ObjectNode v = Bundles.toContent(r.bundle());
                v.put("status", "ok");
                results.set(e.getKey(), v);
            } else if (r.ok()) {
                results.set(e.getKey(), Json.object().put("status", "ok").putNull("data"));
            } else {
                ObjectNode err = error(r.error().ename(), r.error().evalue());
                ArrayNode tb = err.putArray("traceback");
                r.error().traceback().forEach(tb::add);
                results.set(e.getKey(), err);
            }
        });
        return results;
    }

    private void complete(Message m) {
        String code = m.content().path("code").asText("");
        int cursor = Cursors.toUtf16(code, m.content().path("cursor_pos").asInt(code.codePointCount(0, code.length())));
        CodeAnalysis.Completion c = evaluator.complete(code, cursor);
        ObjectNode reply = Json.object().put("status", "ok");
        ArrayNode matches = reply.putArray("matches");
        c.matches().forEach(matches::add);
        reply.put("cursor_start", Cursors.toCodePoints(code, c.start()));
        reply.put("cursor_end", Cursors.toCodePoints(code, c.end()));
        reply.putObject("metadata");
        out.reply(Channel.SHELL, m, "complete_reply", reply);
    }

    private void inspect(Message m) {
        String code = m.content().path("code").asText("");
        int cursor = Cursors.toUtf16(code, m.content().path("cursor_pos").asInt(code.codePointCount(0, code.length())));
        CodeAnalysis.Inspection i = evaluator.inspect(code, cursor);
        ObjectNode reply = Json.object().put("status", "ok").put("found", i.found());
        ObjectNode data = reply.putObject("data");
        if (i.found()) {
            data.put("text/plain", i.text());
        }
        reply.putObject("metadata");
        out.reply(Channel.SHELL, m, "inspect_reply", reply);
    }

    private void isComplete(Message m) {
        CodeAnalysis.IsComplete r = evaluator.isComplete(m.content().path("code").asText(""));
        ObjectNode reply = Json.object().put("status", r.status());
        if (r.status().equals("incomplete")) {
            reply.put("indent", r.indent());
        }
        out.reply(Channel.SHELL, m, "is_complete_reply", reply);
    }

    private void history(Message m) {
        JsonNode c = m.content();
        boolean output = c.path("output").asBoolean(false);
        List<History.Entry> entries = switch (c.path("hist_access_type").asText("tail")) {
            case "range" -> history.range(c.path("session").asInt(0), c.path("start").asInt(0), c.path("stop").asInt(0));
            case "search" -> history.search(c.path("pattern").asText("*"), c.path("n").asInt(0), c.path("unique").asBoolean(false));
            default -> history.tail(c.path("n").asInt(10));
        };
        ObjectNode reply = Json.object().put("status", "ok");
        ArrayNode list = reply.putArray("history");
        for (History.Entry e : entries) {
            ArrayNode row = list.addArray().add(e.session()).add(e.line());
            if (output) {
                row.addArray().add(e.source()).addNull();
            } else {
                row.add(e.source());
            }
        }
        out.reply(Channel.SHELL, m, "history_reply", reply);
    }

    private void commInfo(Message m) {
        JsonNode target = m.content().get("target_name");
        ObjectNode reply = Json.object().put("status", "ok");
        ObjectNode comms = reply.putObject("comms");
        CommRegistry.list(target == null || target.isNull() ? null : target.asText())
                .forEach((id, t) -> comms.putObject(id).put("target_name", t));
        out.reply(Channel.SHELL, m, "comm_info_reply", reply);
    }

    private void commOpen(Message m) {
        String id = m.content().path("comm_id").asText("");
        String target = m.content().path("target_name").asText("");
        Map<String, Object> data = data(m);
        boolean[] taken = {false};
        evaluator.runUserCallback(() -> taken[0] = CommRegistry.openedByFrontEnd(id, target, data), cellIO(m));
        if (!taken[0]) {
            Log.warn("comm_open for unknown target '" + target + "': closing it");
            out.iopub("comm_close", m, Json.object().put("comm_id", id).set("data", Json.object()));
        }
    }

    private void commMsg(Message m) {
        String id = m.content().path("comm_id").asText("");
        Map<String, Object> data = data(m);
        boolean[] known = {true};
        evaluator.runUserCallback(() -> known[0] = CommRegistry.messageFromFrontEnd(id, data), cellIO(m));
        if (!known[0]) {
            Log.warn("comm_msg for unknown comm " + id);
        }
    }

    private void commClose(Message m) {
        String id = m.content().path("comm_id").asText("");
        Map<String, Object> data = data(m);
        evaluator.runUserCallback(() -> CommRegistry.closedByFrontEnd(id, data), cellIO(m));
    }

    private CellIO cellIO(Message m) {
        return new KernelCellIO(out, m, false, inputReplies);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Message m) {
        JsonNode d = m.content().path("data");
        return d.isObject() ? Json.MAPPER.convertValue(d, Map.class) : Map.of();
    }

    static ObjectNode error(String ename, String evalue) {
        return Json.object().put("status", "error").put("ename", ename).put("evalue", evalue);
    }

    static String replyType(String type) {
        return type.endsWith("_request") ? type.substring(0, type.length() - "_request".length()) + "_reply" : type + "_reply";
    }

    /** An unknown message type gets an error reply of the matching reply type; the kernel goes on. */
    static void unknown(Channel channel, Publisher out, Message m) {
        Log.warn("unknown message type " + m.type() + " on " + channel.name().toLowerCase());
        ObjectNode e = error("UnknownMessageType", "jtune does not handle '" + m.type() + "' messages");
        e.putArray("traceback");
        out.reply(channel, m, replyType(m.type()), e);
    }
}
