package io.jtune.kernel.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.kernel.display.MimeBundle;
import io.jtune.kernel.eval.CellIO;
import io.jtune.kernel.protocol.Channel;
import io.jtune.kernel.protocol.Json;
import io.jtune.kernel.protocol.Message;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.BlockingQueue;

/** A cell's output as iopub messages in reply to one request, and its input over stdin. */
final class KernelCellIO implements CellIO {
    private final Publisher publisher;
    private final Message request;
    private final boolean allowStdin;
    private final BlockingQueue<Message> inputReplies;

    KernelCellIO(Publisher publisher, Message request, boolean allowStdin, BlockingQueue<Message> inputReplies) {
        this.publisher = publisher;
        this.request = request;
        this.allowStdin = allowStdin;
        this.inputReplies = inputReplies;
    }

    @Override
    public void stream(String name, String text) {
        publisher.iopub("stream", request, Json.object().put("name", name).put("text", text));
    }

    @Override
    public void display(MimeBundle bundle, String displayId, boolean update) {
        ObjectNode content = Bundles.toContent(bundle);
        ObjectNode transient_ = content.putObject("transient");
        if (displayId != null) {
            transient_.put("display_id", displayId);
        }
        publisher.iopub(update ? "update_display_data" : "display_data", request, content);
    }

    @Override
    public void clearOutput(boolean wait) {
        publisher.iopub("clear_output", request, Json.object().put("wait", wait));
    }

    @Override
    public String input(String prompt, boolean password) throws IOException {
        if (!allowStdin) {
            throw new IOException("stdin is not available: this front end does not take input"
                    + " (allow_stdin is false, as in nbconvert and headless runs)");
        }
        inputReplies.clear();
        publisher.send(Channel.STDIN, Message.create(publisher.session(), "input_request", request,
                Json.object().put("prompt", prompt).put("password", password)));
        try {
            Message reply = inputReplies.take();
            return reply.content().path("value").asText("");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for input");
        }
    }
}
