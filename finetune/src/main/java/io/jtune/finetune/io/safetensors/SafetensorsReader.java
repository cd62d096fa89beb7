package io.jtune.finetune.io.safetensors;

import io.jtune.finetune.io.FileKinds;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads one <a href="https://huggingface.co/docs/safetensors">safetensors</a> file.
 *
 * <p>The format: the first 8 bytes are an unsigned little-endian integer N, the length of a UTF-8
 * JSON header that follows. The header is an object whose optional {@code "__metadata__"} entry
 * maps strings to strings and whose every other entry describes one tensor:
 * {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}}. The offsets are relative
 * to the data buffer, which is the rest of the file after the header; a tensor's bytes are
 * row-major and little-endian. Writers pad the header with spaces so the buffer starts at a
 * multiple of 8.
 *
 * <p>{@link #open} validates the whole header before returning: the file holds the 8 length
 * bytes; N is at most {@value #MAX_HEADER_BYTES} and within the file (nothing larger is ever
 * allocated); the header is valid UTF-8 and one JSON object with no duplicate keys and nothing
 * after it but spaces; {@code __metadata__} maps strings to strings; every tensor has a known
 * {@code dtype}, a
 * {@code shape} of non-negative integers whose product (and byte size) fits in 64 bits, and two
 * {@code data_offsets} inside the buffer that hold exactly {@code numel * dtype size} bytes; and no
 * two tensors overlap. Unknown fields in a tensor entry are ignored, and so are gaps between
 * tensors. Every failure, here and when reading, is a {@link SafetensorsException} that names the
 * file, the tensor and the field.
 *
 * <p>Tensor data is read with positional {@link FileChannel} reads, so files larger than 2 GB
 * work and nothing is mapped. The channel stays open until {@link #close}.
 */
public final class SafetensorsReader implements TensorSource {
    /** The largest header accepted, as in the reference implementation: 100 MB. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final int CHUNK_BYTES = 1 << 20;
    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final Path file;
    private final String label;
    private final FileChannel channel;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsReader(Path file, String label, FileChannel channel, SafetensorsHeader header) {
        this.file = file;
        this.label = label;
        this.channel = channel;
        this.tensors = header.tensors;
        this.metadata = header.metadata;
    }

    /** Opens {@code file} and validates its header; see the class description for what is checked. */
    public static SafetensorsReader open(Path file) throws SafetensorsException {
        String label = String.valueOf(file.getFileName());
        if (Files.isDirectory(file)) {
            throw new SafetensorsException(label + ": is a folder, not a safetensors file (" + file + ")");
        }
        if (FileKinds.existsButNotRegular(file)) {
            // A FIFO or device could block or never end.
            throw new SafetensorsException(label + ": " + FileKinds.notRegular(file) + " (" + file + ")");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new SafetensorsException(label + ": file not found (" + file + ")", e);
        } catch (AccessDeniedException e) {
            throw new SafetensorsException(label + ": permission denied (" + file + ")", e);
        } catch (IOException | RuntimeException e) {
            throw new SafetensorsException(label + ": cannot open " + file + ": " + e, e);
        }
        try {
            SafetensorsHeader header = readHeader(channel, label);
            return new SafetensorsReader(file, label, channel, header);
        } catch (SafetensorsException e) {
            closeQuietly(channel);
            throw e;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SafetensorsException(label + ": cannot read the header: " + e, e);
        }
    }

    private static SafetensorsHeader readHeader(FileChannel channel, String label) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new SafetensorsException(label + ": file is " + size
                    + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0, label, "the header length");
        long n = lengthBytes.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new SafetensorsException(label + ": header length " + Long.toUnsignedString(n)
                    + " is more than the " + MAX_HEADER_BYTES + " bytes allowed");
        }
        if (n > size - 8) {
            throw new SafetensorsException(label + ": header length " + n + " runs past the end of the file, which is "
                    + size + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate((int) n);
        readFully(channel, header, 8, label, "the header");
        return SafetensorsHeader.parse(header.array(), label, 8 + n, size - 8 - n);
    }

    private static void readFully(FileChannel channel, ByteBuffer dst, long position, String label, String what)
            throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int read = channel.read(dst, pos);
            if (read < 0) {
                throw new SafetensorsException(label + ": file ended at byte " + pos + " while reading " + what
                        + " (was it changed after it was opened?)");
            }
            pos += read;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Read-only: nothing to lose.
        }
    }

    /** The file this reader reads. */
    public Path file() {
        return file;
    }

    /** Every tensor by name, in the order their bytes lie in the file. */
    @Override
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) throws SafetensorsException {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new SafetensorsException(label + ": no tensor named '" + name + "'; " + describeNames(name));
        }
        return info;
    }

    /** "it has N tensors, such as 'a', 'b'", preferring the names that share the longest prefix with name. */
    String describeNames(String name) {
        if (tensors.isEmpty()) {
            return "it has no tensors";
        }
        List<String> names = new ArrayList<>(tensors.keySet());
        names.sort(Comparator.comparingInt((String n) -> -commonPrefix(n, name)));
        String some = names.stream().limit(5).map(n -> "'" + n + "'").collect(Collectors.joining(", "));
        return "it has " + tensors.size() + (tensors.size() == 1 ? " tensor: " : " tensors, such as ") + some;
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    @Override
    public ByteBuffer readRaw(String name) throws SafetensorsException {
        TensorInfo info = info(name);
        if (info.byteLength() > MAX_ARRAY) {
            throw new SafetensorsException(where(info) + ": holds " + info.byteLength()
                    + " bytes, more than one buffer can hold; read it in pieces with read(name, offset, dst)");
        }
        ByteBuffer dst = ByteBuffer.allocateDirect((int) info.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
        readAt(info, 0, dst);
        return dst.flip();
    }

    @Override
    public void read(String name, long offset, ByteBuffer dst) throws SafetensorsException {
        TensorInfo info = info(name);
        if (offset < 0 || offset > info.byteLength() || dst.remaining() > info.byteLength() - offset) {
            throw new SafetensorsException(where(info) + ": cannot read " + dst.remaining() + " bytes at offset "
                    + offset + " of a tensor of " + info.byteLength() + " bytes");
        }
        readAt(info, offset, dst);
    }

    private void readAt(TensorInfo info, long offset, ByteBuffer dst) throws SafetensorsException {
        try {
            readFully(channel, dst, info.dataOffset() + offset, label, "tensor '" + info.name() + "'");
        } catch (SafetensorsException e) {
            throw e;
        } catch (ClosedChannelException e) {
            throw new SafetensorsException(where(info) + ": the reader is closed", e);
        } catch (IOException e) {
            throw new SafetensorsException(where(info) + ": read failed: " + e, e);
        }
    }

    private String where(TensorInfo info) {
        return label + ": tensor '" + info.name() + "'";
    }

    /** Calls {@code sink} with consecutive little-endian pieces of the tensor, each a whole number of elements. */
    private void forEachChunk(TensorInfo info, ChunkSink sink) throws SafetensorsException {
        long total = info.byteLength();
        int chunk = (int) Math.min(CHUNK_BYTES, total);
        ByteBuffer buf = ByteBuffer.allocateDirect(Math.max(chunk, 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (long done = 0; done < total; ) {
            int n = (int) Math.min(chunk, total - done);
            buf.clear().limit(n);
            readAt(info, done, buf);
            buf.flip();
            sink.accept(buf);
            done += n;
        }
    }

    @FunctionalInterface
    private interface ChunkSink {
        void accept(ByteBuffer littleEndianBytes) throws SafetensorsException;
    }

    @Override
    public void readAsF32(String name, FloatBuffer dst) throws SafetensorsException {
        TensorInfo info = info(name);
        DType t = info.dtype();
        if (!t.isFloatingPoint()) {
            throw new SafetensorsException(where(info) + ": is " + t.safetensorsName()
                    + ", not a floating-point type; read it with readLongs or readInts");
        }
        if (dst.remaining() < info.numel()) {
            throw new SafetensorsException(where(info) + ": has " + info.numel() + " elements but the buffer has room for "
                    + dst.remaining());
        }
        forEachChunk(info, buf -> {
            switch (t) {
                case F32 -> dst.put(buf.asFloatBuffer());
                case F64 -> {
                    while (buf.remaining() >= 8) {
                        dst.put((float) buf.getDouble());
                    }
                }
                case F16 -> {
                    while (buf.remaining() >= 2) {
                        dst.put(HalfFloats.f16ToFloat(buf.getShort()));
                    }
                }
                case BF16 -> {
                    while (buf.remaining() >= 2) {
                        dst.put(HalfFloats.bf16ToFloat(buf.getShort()));
                    }
                }
                default -> throw new IllegalStateException(t.toString());
            }
        });
    }

    @Override
    public float[] readFloats(String name) throws SafetensorsException {
        TensorInfo info = info(name);
        float[] out = new float[arrayLength(info)];
        readAsF32(name, FloatBuffer.wrap(out));
        return out;
    }

    @Override
    public long[] readLongs(String name) throws SafetensorsException {
        TensorInfo info = info(name);
        DType t = info.dtype();
        if (t.isFloatingPoint()) {
            throw new SafetensorsException(where(info) + ": is " + t.safetensorsName()
                    + ", not an integer type; read it with readFloats");
        }
        long[] out = new long[arrayLength(info)];
        int[] next = {0};
        forEachChunk(info, buf -> {
            int i = next[0];
            switch (t) {
                case I64 -> {
                    int n = buf.remaining() / 8;
                    buf.asLongBuffer().get(out, i, n);
                    i += n;
                }
                case I32 -> {
                    while (buf.remaining() >= 4) {
                        out[i++] = buf.getInt();
                    }
                }
                case I16 -> {
                    while (buf.remaining() >= 2) {
                        out[i++] = buf.getShort();
                    }
                }
                case I8 -> {
                    while (buf.hasRemaining()) {
                        out[i++] = buf.get();
                    }
                }
                case U8, BOOL -> {
                    while (buf.hasRemaining()) {
                        out[i++] = buf.get() & 0xff;
                    }
                }
                default -> throw new IllegalStateException(t.toString());
            }
            next[0] = i;
        });
        return out;
    }

    /** Integer tensors (ids, masks) are small: read them as longs and narrow, checking each value. */
    @Override
    public int[] readInts(String name) throws SafetensorsException {
        TensorInfo info = info(name);
        long[] values = readLongs(name);
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] != (int) values[i]) {
                throw new SafetensorsException(where(info) + ": element " + i + " is " + values[i]
                        + ", which does not fit in an int; read it with readLongs");
            }
            out[i] = (int) values[i];
        }
        return out;
    }

    private int arrayLength(TensorInfo info) throws SafetensorsException {
        if (info.numel() > MAX_ARRAY) {
            throw new SafetensorsException(where(info) + ": has " + info.numel()
                    + " elements, more than one Java array can hold; read it in pieces with read(name, offset, dst)");
        }
        return (int) info.numel();
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "SafetensorsReader[" + file + ", " + tensors.size() + " tensors]";
    }
}
