package io.jtune.kernel.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The connection file a Jupyter client writes before it starts the kernel: where the five sockets
 * listen and the key that signs messages.
 */
public record ConnectionInfo(
        String transport,
        String ip,
        int shellPort,
        int iopubPort,
        int stdinPort,
        int controlPort,
        int hbPort,
        String key,
        String signatureScheme) {

    public ConnectionInfo {
        if (!"tcp".equals(transport) && !"ipc".equals(transport)) {
            throw new IllegalArgumentException("transport: '" + transport + "' is not tcp or ipc");
        }
        if (!key.isEmpty() && !"hmac-sha256".equals(signatureScheme)) {
            throw new IllegalArgumentException(
                    "signature_scheme: '" + signatureScheme + "' is not supported (only hmac-sha256)");
        }
    }

    /** Reads a connection file; errors name the file and the field. */
    public static ConnectionInfo read(Path file) throws IOException {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IOException(file + ": not a readable JSON connection file: " + e.getMessage(), e);
        }
        try {
            return new ConnectionInfo(
                    text(json, "transport", "tcp"),
                    text(json, "ip", "127.0.0.1"),
                    port(json, "shell_port"),
                    port(json, "iopub_port"),
                    port(json, "stdin_port"),
                    port(json, "control_port"),
                    port(json, "hb_port"),
                    text(json, "key", ""),
                    text(json, "signature_scheme", "hmac-sha256"));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** The ZeroMQ address of a port, e.g. {@code tcp://127.0.0.1:5555}. */
    public String address(int port) {
        return "ipc".equals(transport) ? "ipc://" + ip + "-" + port : "tcp://" + ip + ":" + port;
    }

    private static String text(JsonNode json, String field, String dflt) {
        JsonNode n = json.get(field);
        return n == null || n.isNull() ? dflt : n.asText();
    }

    private static int port(JsonNode json, String field) {
        JsonNode n = json.get(field);
        if (n == null || !n.canConvertToInt() || n.asInt() <= 0 || n.asInt() > 65535) {
            throw new IllegalArgumentException(field + ": missing or not a port number");
        }
        return n.asInt();
    }
}
