package io.jtune.finetune.data.read;

import io.jtune.finetune.data.SourceRef;
import io.jtune.finetune.data.ValidationProblem;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a byte stream as strictly decoded UTF-8 lines. Lines end at LF; a CR before the LF is
 * dropped, so CRLF and LF files read alike; a UTF-8 byte order mark at the start is dropped. A line
 * longer than the byte limit is refused: only its length is counted, its bytes are not kept. A line
 * that is not valid UTF-8 is reported with the first bad byte and its 1-based byte column.
 */
final class Utf8LineReader implements Closeable {
    /** One line: {@code text} is null when {@code problem} says why it could not be read. */
    record Line(int number, String text, ValidationProblem problem) {
    }

    private final InputStream in;
    private final String file;
    private final int maxLineBytes;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkLen;
    private int chunkPos;
    private boolean eof;
    private byte[] line = new byte[256];
    private int lineNumber;

    Utf8LineReader(InputStream in, String file, int maxLineBytes) {
        this.in = in;
        this.file = file;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line, or null at the end of the stream. */
    Line next() throws IOException {
        int len = 0;
        long total = 0;
        boolean sawAny = false;
        while (true) {
            if (chunkPos == chunkLen) {
                if (eof || !fill()) {
                    if (!sawAny) {
                        return null;
                    }
                    break;
                }
            }
            sawAny = true;
            byte b = chunk[chunkPos++];
            if (b == '\n') {
                break;
            }
            total++;
            if (total <= maxLineBytes + 1L) {
                if (len == line.length) {
                    line = Arrays.copyOf(line, Math.min(Math.max(len * 2, 256), maxLineBytes + 1));
                }
                line[len++] = b;
            }
        }
        lineNumber++;
        SourceRef ref = new SourceRef(file, lineNumber);
        if (len > 0 && total <= maxLineBytes + 1L && line[len - 1] == '\r') {
            len--;
            total--;
        }
        if (total > maxLineBytes) {
            return new Line(lineNumber, null, new ValidationProblem(ref, "",
                    "line is " + total + " bytes, over the limit of " + maxLineBytes + " bytes; it was not read"));
        }
        int start = 0;
        if (lineNumber == 1 && len >= 3 && (line[0] & 0xff) == 0xEF && (line[1] & 0xff) == 0xBB
                && (line[2] & 0xff) == 0xBF) {
            start = 3;
        }
        return decode(ref, start, len);
    }

    private Line decode(SourceRef ref, int start, int end) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer bytes = ByteBuffer.wrap(line, start, end - start);
        CharBuffer chars = CharBuffer.allocate(end - start);
        CoderResult result = decoder.decode(bytes, chars, true);
        if (!result.isError()) {
            result = decoder.flush(chars);
        }
        if (result.isError()) {
            int at = bytes.position();
            return new Line(ref.line(), null, new ValidationProblem(ref, "", String.format(
                    "invalid UTF-8: byte 0x%02X at byte column %d; save the file as UTF-8",
                    line[at] & 0xff, at + 1)));
        }
        chars.flip();
        return new Line(ref.line(), chars.toString(), null);
    }

    private boolean fill() throws IOException {
        int n = in.read(chunk);
        if (n <= 0) {
            eof = true;
            chunkLen = 0;
            chunkPos = 0;
            return false;
        }
        chunkLen = n;
        chunkPos = 0;
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /**
     * The whole text of a file that is parsed as one piece (a JSON array, CSV), its lines checked
     * like any other; null when a line is bad, after reporting each bad line and then "{@code what}
     * not read because of the problems above" (rows cannot be told apart reliably then).
     */
    static String readWhole(InputStream in, String file, int maxLineBytes, String what,
                            java.util.List<ValidationProblem> problems) throws IOException {
        StringBuilder text = new StringBuilder();
        boolean unreadable = false;
        try (Utf8LineReader reader = new Utf8LineReader(in, file, maxLineBytes)) {
            for (Line line = reader.next(); line != null; line = reader.next()) {
                if (line.problem() != null) {
                    problems.add(line.problem());
                    unreadable = true;
                } else if (!unreadable) {
                    text.append(line.text()).append('\n');
                }
            }
        }
        if (unreadable) {
            problems.add(ValidationProblem.ofFile(file, what + " not read because of the problems above"));
            return null;
        }
        return text.toString();
    }
}
