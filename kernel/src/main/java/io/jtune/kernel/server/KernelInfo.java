package io.jtune.kernel.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.kernel.protocol.Json;
import io.jtune.kernel.protocol.Message;

/** The content of kernel_info_reply. */
final class KernelInfo {
    static final String VERSION = "0.1.0";

    private KernelInfo() {}

    static ObjectNode content() {
        ObjectNode c = Json.object();
        c.put("status", "ok");
        c.put("protocol_version", Message.PROTOCOL_VERSION);
        c.put("implementation", "jtune");
        c.put("implementation_version", VERSION);
        ObjectNode lang = c.putObject("language_info");
        lang.put("name", "java");
        lang.put("version", Runtime.version().toString());
        lang.put("mimetype", "text/x-java-source");
        lang.put("file_extension", ".jshell");
        lang.put("pygments_lexer", "java");
        lang.put("codemirror_mode", "text/x-java");
        c.put("banner", "jtune " + VERSION + ": Java " + Runtime.version() + " (JShell) for notebooks"
                + " and LLM fine-tuning. %lsmagic lists the magics.");
        c.put("debugger", false);
        ArrayNode links = c.putArray("help_links");
        links.addObject().put("text", "Java API (JDK " + Runtime.version().feature() + ")")
                .put("url", "https://docs.oracle.com/en/java/javase/" + Runtime.version().feature() + "/docs/api/");
        return c;
    }
}
