package io.jtune.kernel.eval;

import io.jtune.kernel.log.Log;
import io.jtune.kernel.display.DisplayContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends {@code System.out}, {@code System.err} and {@code System.in} of the whole JVM to the cell
 * that is running. Output is batched for a few milliseconds and then sent, so a long loop that
 * prints shows its output while it runs without one message per line. Output from threads a cell
 * started goes to the current cell, or, when none runs, to the last one (IPython does the same);
 * nothing is lost.
 *
 * <p>The routing does not depend on what a cell does to {@code System.out}, {@code System.err} or
 * {@code System.in}: the kernel keeps the streams it installed, writes its own notes to them
 * ({@link #out()}, {@link #err()}), and puts them back before each cell and after it ({@link
 * #reclaim}), so {@code System.setOut(null)} breaks the rest of that cell only.
 */
public final class OutputRouter {
    static final long FLUSH_DELAY_MILLIS = 20;
    /** How long text printed without a newline waits for a read of System.in that takes it as its prompt. */
    static final long PROMPT_HOLD_MILLIS = 300;

    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jtune-stream-flush");
        t.setDaemon(true);
        return t;
    });
    private static final CellStream OUT = new CellStream("stdout");
    private static final CellStream ERR = new CellStream("stderr");
    private static final PrintStream OUT_STREAM = new PrintStream(OUT, true, StandardCharsets.UTF_8);
    private static final PrintStream ERR_STREAM = new PrintStream(ERR, true, StandardCharsets.UTF_8);
    private static final InputStream IN_STREAM = new CellInput();
    private static volatile CellIO target;
    private static boolean installed;

    private OutputRouter() {}

    /** Replaces System.out, System.err and System.in (once per JVM). */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Log.debug("routing System.out, System.err and System.in to the running cell");
        System.setOut(OUT_STREAM);
        System.setErr(ERR_STREAM);
        System.setIn(IN_STREAM);
    }

    /** Makes {@code io} the destination of output and display from now on. */
    public static void begin(CellIO io) {
        reclaim();
        flushAll();
        target = io;
        DisplayContext.set(io);
    }

    /** Sends whatever is buffered to the current cell; call before the cell's reply. */
    public static void flushAll() {
        OUT_STREAM.flush();
        ERR_STREAM.flush();
        OUT.send();
        ERR.send();
    }

    /**
     * Puts the kernel's streams back where code replaced them ({@code System.setOut(null)}, a
     * stream of its own); returns the names of those replaced, empty when none was.
     */
    static synchronized java.util.List<String> reclaim() {
        if (!installed) {
            return java.util.List.of();
        }
        java.util.List<String> replaced = new java.util.ArrayList<>();
        if (System.out != OUT_STREAM) {
            System.setOut(OUT_STREAM);
            replaced.add("System.out");
        }
        if (System.err != ERR_STREAM) {
            System.setErr(ERR_STREAM);
            replaced.add("System.err");
        }
        if (System.in != IN_STREAM) {
            System.setIn(IN_STREAM);
            replaced.add("System.in");
        }
        return replaced;
    }

    /** The kernel's standard output to the running cell, whatever {@code System.out} is now. */
    public static PrintStream out() {
        return OUT_STREAM;
    }

    /** The kernel's standard error to the running cell, whatever {@code System.err} is now. */
    public static PrintStream err() {
        return ERR_STREAM;
    }

    static CellIO target() {
        return target;
    }

    /** Bytes of one stream; decoded and sent as whole UTF-8 characters. */
    private static final class CellStream extends OutputStream {
        private final String name;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
        private boolean scheduled;

        CellStream(String name) {
            this.name = name;
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            schedule();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            pending.write(b, off, len);
            schedule();
        }

        private void schedule() {
            if (!scheduled) {
                scheduled = true;
                FLUSHER.schedule(this::sendLines, FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        /** Sends the complete characters buffered so far; holds the lock so sends stay in order. */
        synchronized void send() {
            scheduled = false;
            byte[] bytes = pending.toByteArray();
            int end = completeUtf8Prefix(bytes);
            if (end == 0) {
                return;
            }
            pending.reset();
            pending.write(bytes, end, bytes.length - end);
            CellIO io = target;
            if (io != null) {
                io.stream(name, new String(bytes, 0, end, StandardCharsets.UTF_8));
            }
        }

        /**
         * The timed send: complete lines go now; a line without its newline yet waits a little
         * longer ({@link #PROMPT_HOLD_MILLIS}), so that a prompt printed just before a read of
         * System.in can go with the input request instead of above it.
         */
        private synchronized void sendLines() {
            byte[] tail = sendLinesKeepRest();
            if (tail.length > 0) {
                pending.write(tail, 0, tail.length);
                FLUSHER.schedule(this::send, PROMPT_HOLD_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        /**
         * Sends the complete lines buffered so far and takes the text after the last newline out
         * of the stream: printed just before a read, it is the read's prompt.
         */
        synchronized String sendLinesTakeRest() {
            return new String(sendLinesKeepRest(), StandardCharsets.UTF_8);
        }

        /** Sends the complete lines buffered; returns the bytes after the last newline, no longer buffered. */
        private byte[] sendLinesKeepRest() {
            byte[] bytes = pending.toByteArray();
            int cut = bytes.length;
            while (cut > 0 && bytes[cut - 1] != '\n') {
                cut--;
            }
            pending.reset();
            pending.write(bytes, 0, cut);
            send();
            return java.util.Arrays.copyOfRange(bytes, cut, bytes.length);
        }

        /** Length of the longest prefix that does not end inside a multi-byte character. */
        private static int completeUtf8Prefix(byte[] b) {
            int n = b.length;
            for (int back = 1; back <= Math.min(3, n); back++) {
                int c = b[n - back] & 0xff;
                if ((c & 0xC0) == 0x80) {
                    continue; // continuation byte
                }
                int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
                return need > back ? n - back : n;
            }
            return n;
        }
    }

    /** Reads lines from the front end through the running cell's {@link CellIO#input}. */
    private static final class CellInput extends InputStream {
        private byte[] line = new byte[0];
        private int pos;

        @Override
        public synchronized int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return line[pos++] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, line.length - pos);
            System.arraycopy(line, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public synchronized int available() {
            return line.length - pos;
        }

        private boolean fill() throws IOException {
            if (pos < line.length) {
                return true;
            }
            CellIO io = target;
            if (io == null) {
                return false;
            }
            // text printed on the line of the read (System.out.print("Name: ")) is the prompt
            // beside the input box, as input("Name: ") is in Python; complete lines show above it
            ERR.send();
            String prompt = OUT.sendLinesTakeRest();
            String text = io.input(prompt, false);
            line = (text + "\n").getBytes(StandardCharsets.UTF_8);
            pos = 0;
            return true;
        }
    }
}
