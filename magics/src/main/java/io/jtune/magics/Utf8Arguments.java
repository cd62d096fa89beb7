package io.jtune.magics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command-line arguments as UTF-8, whatever the locale. Java decodes {@code argv} with the
 * locale's charset ({@code sun.jnu.encoding}) and replaces what does not decode by U+FFFD: under
 * {@code LC_ALL=C} that is every byte over 127, even of valid UTF-8, and under a UTF-8 locale
 * every invalid byte, with no sign of it. Here the bytes are read again from
 * {@code /proc/self/cmdline} (Linux), where the process's arguments end with the program's, and
 * decoded strictly as UTF-8: valid UTF-8 reads right under any locale, and an argument that is not
 * UTF-8 is refused, naming it. Where there is no {@code /proc}, or its last entries do not match
 * the arguments Java gave, those are kept as they are.
 */
final class Utf8Arguments {
    private static final Path CMDLINE = Path.of("/proc/self/cmdline");

    private Utf8Arguments() {}

    /**
     * {@code args} decoded as UTF-8 from the process's own argument bytes.
     *
     * @throws IllegalArgumentException naming the first argument that is not valid UTF-8
     */
    static String[] of(String[] args) {
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(CMDLINE);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return args;
        }
        return decode(args, split(cmdline));
    }

    /** The NUL-terminated entries of a {@code /proc/PID/cmdline}. */
    static List<byte[]> split(byte[] cmdline) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                out.add(Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        if (start < cmdline.length) {
            out.add(Arrays.copyOfRange(cmdline, start, cmdline.length));
        }
        return out;
    }

    /**
     * The last {@code args.length} entries of {@code raw} decoded as UTF-8, or {@code args} when
     * those entries are not the arguments (an ASCII entry must equal its argument, and a non-ASCII
     * one must have given a non-ASCII argument).
     *
     * @throws IllegalArgumentException naming the first entry that is not valid UTF-8
     */
    static String[] decode(String[] args, List<byte[]> raw) {
        if (raw.size() < args.length) {
            return args;
        }
        List<byte[]> tail = raw.subList(raw.size() - args.length, raw.size());
        for (int i = 0; i < args.length; i++) {
            boolean ascii = isAscii(tail.get(i));
            if (ascii ? !args[i].equals(new String(tail.get(i), StandardCharsets.US_ASCII))
                    : args[i].chars().allMatch(c -> c < 128)) {
                return args;
            }
        }
        String[] out = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            out[i] = strict(tail.get(i), args, i);
        }
        return out;
    }

    private static boolean isAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static String strict(byte[] bytes, String[] args, int index) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int at = in.position();
            throw new IllegalArgumentException(String.format("%s is not valid UTF-8 (byte 0x%02X at byte %d of it);"
                    + " arguments are read as UTF-8", name(args, index, bytes), bytes[at] & 0xFF, at + 1));
        }
        return out.flip().toString();
    }

    /** "the value of --prompt" for {@code --prompt X} and {@code --prompt=X}, else "argument N". */
    private static String name(String[] args, int index, byte[] bytes) {
        int eq = -1;
        for (int i = 0; i < bytes.length && eq < 0; i++) {
            eq = bytes[i] == '=' ? i : eq;
        }
        if (bytes.length > 2 && bytes[0] == '-' && bytes[1] == '-' && eq > 2 && isAscii(Arrays.copyOf(bytes, eq))) {
            return "the value of " + new String(bytes, 0, eq, StandardCharsets.US_ASCII);
        }
        if (index > 0 && args[index - 1].startsWith("-") && args[index - 1].length() > 1
                && !args[index - 1].contains("=") && args[index - 1].chars().allMatch(c -> c < 128)) {
            return "the value of " + args[index - 1];
        }
        return "argument " + (index + 1);
    }
}
