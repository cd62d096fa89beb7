package io.jtune.finetune.io.safetensors;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors files byte by byte, valid or not, and finds test resources. */
final class RawFiles {
    private RawFiles() {}

    /** 8-byte little-endian {@code headerLength}, then {@code header}, then {@code data}. */
    static byte[] bytes(long headerLength, byte[] header, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(header).put(data);
        return b.array();
    }

    /** A file whose header is {@code json} (with its true length) followed by {@code data}. */
    static Path write(Path file, String json, byte[] data) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return write(file, bytes(header.length, header, data));
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A test resource as a file. */
    static Path resource(String name) {
        try {
            return Path.of(RawFiles.class.getResource("/io/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
