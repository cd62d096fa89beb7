package io.jtune.kernel.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jtune.kernel.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Input history across kernel sessions, kept as JSON lines ({@code session}, {@code line},
 * {@code source}) in {@code $JTUNE_HISTORY_FILE} or {@code ~/.local/share/jtune/history.jsonl}.
 * Each kernel start is a new session number, as in IPython; the history_request kinds tail, range
 * and search read it.
 *
 * <p>The file is bounded, as IPython's history database is pruned by session: an entry keeps at most
 * {@link #MAX_ENTRY_CHARS} characters of its cell (the rest is replaced by a marker that says how much
 * was cut), and when the file grows past {@link #MAX_FILE_BYTES} at a kernel start, the oldest
 * sessions are dropped until it is under {@link #KEEP_FILE_BYTES}.
 */
public final class History {
    /** One remembered cell. */
    public record Entry(int session, int line, String source) {}

    /** Characters of a cell kept in its history entry (a pasted 1 MB document is not kept whole). */
    public static final int MAX_ENTRY_CHARS = 20_000;
    /** Size of the history file above which the oldest sessions are dropped at a kernel start. */
    public static final long MAX_FILE_BYTES = 8L << 20;
    /** Size the file is trimmed to, by whole sessions, once it is over {@link #MAX_FILE_BYTES}. */
    public static final long KEEP_FILE_BYTES = 4L << 20;
    /** Starts the text that replaces the end of a cell longer than {@link #MAX_ENTRY_CHARS}. */
    public static final String CUT_MARKER = "\n/* jtune history: ";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final List<Entry> entries = new ArrayList<>();
    private final int session;

    public History(Path file) {
        this.file = file;
        load();
        trim();
        session = entries.stream().mapToInt(Entry::session).max().orElse(0) + 1;
    }

    public static Path defaultFile() {
        String env = System.getenv("JTUNE_HISTORY_FILE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String data = System.getenv("XDG_DATA_HOME");
        Path base = data != null && !data.isBlank() ? Path.of(data) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("jtune").resolve("history.jsonl");
    }

    public int session() {
        return session;
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode n = JSON.readTree(line);
                    entries.add(new Entry(n.path("session").asInt(), n.path("line").asInt(), n.path("source").asText()));
                } catch (IOException e) {
                    Log.debug("skipping a bad history line in " + file);
                }
            }
        } catch (IOException e) {
            Log.warn("cannot read history " + file + ": " + e.getMessage());
        }
    }

    /** Remembers a cell of this session and appends it to the file (cut to {@link #MAX_ENTRY_CHARS}). */
    public synchronized void add(int line, String source) {
        source = capped(source);
        entries.add(new Entry(session, line, source));
        ObjectNode n = JSON.createObjectNode().put("session", session).put("line", line).put("source", source);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, n.toString() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            Log.warn("cannot write history " + file + ": " + e.getMessage());
        }
    }

    /** {@code source}, or its first {@link #MAX_ENTRY_CHARS} characters and a marker saying how many were cut. */
    static String capped(String source) {
        if (source.length() <= MAX_ENTRY_CHARS) {
            return source;
        }
        int keep = MAX_ENTRY_CHARS;
        if (Character.isHighSurrogate(source.charAt(keep - 1))) {
            keep--; // do not split a surrogate pair
        }
        return source.substring(0, keep) + CUT_MARKER + (source.length() - keep) + " more characters not kept */";
    }

    /**
     * Drops the oldest sessions when the file is over {@link #MAX_FILE_BYTES}, keeping the newest
     * sessions that fit in {@link #KEEP_FILE_BYTES} (the last session always), and rewrites the file.
     */
    private void trim() {
        long size;
        try {
            size = Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return;
        }
        if (size <= MAX_FILE_BYTES || entries.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        for (Entry e : entries) {
            lines.add(JSON.createObjectNode().put("session", e.session()).put("line", e.line())
                    .put("source", capped(e.source())).toString());
        }
        long kept = 0;
        int from = entries.size();
        int lastSession = entries.get(entries.size() - 1).session();
        while (from > 0) {
            int s = entries.get(from - 1).session();
            long bytes = 0;
            int i = from;
            while (i > 0 && entries.get(i - 1).session() == s) {
                bytes += lines.get(i - 1).getBytes(StandardCharsets.UTF_8).length + 1;
                i--;
            }
            if (kept + bytes > KEEP_FILE_BYTES && s != lastSession) {
                break;
            }
            kept += bytes;
            from = i;
        }
        List<Entry> newer = new ArrayList<>(entries.subList(from, entries.size()));
        entries.clear();
        newer.forEach(e -> entries.add(new Entry(e.session(), e.line(), capped(e.source()))));
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, lines.subList(from, lines.size()), StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Log.debug("history " + file + " trimmed from " + size + " to " + kept + " bytes");
        } catch (IOException e) {
            Log.warn("cannot trim history " + file + ": " + e.getMessage());
        }
    }

    /** The last {@code n} entries over all sessions. */
    public synchronized List<Entry> tail(int n) {
        return List.copyOf(entries.subList(Math.max(0, entries.size() - Math.max(0, n)), entries.size()));
    }

    /**
     * Lines {@code [start, stop)} of a session; session 0 is this one, negative counts back from
     * it; a stop of 0 or less means to the end.
     */
    public synchronized List<Entry> range(int sessionArg, int start, int stop) {
        int s = sessionArg <= 0 ? session + sessionArg : sessionArg;
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.session() == s && e.line() >= start && (stop <= 0 || e.line() < stop)) {
                out.add(e);
            }
        }
        return out;
    }

    /** Entries matching a glob ({@code *}, {@code ?}); the last {@code n} (all when n <= 0), optionally unique. */
    public synchronized List<Entry> search(String glob, int n, boolean unique) {
        Pattern p = globToRegex(glob == null || glob.isEmpty() ? "*" : glob);
        List<Entry> matches = new ArrayList<>();
        for (Entry e : entries) {
            if (p.matcher(e.source()).matches()) {
                matches.add(e);
            }
        }
        if (unique) {
            Map<String, Entry> last = new LinkedHashMap<>();
            for (Entry e : matches) {
                last.remove(e.source());
                last.put(e.source(), e);
            }
            matches = new ArrayList<>(last.values());
        }
        return n > 0 && matches.size() > n ? List.copyOf(matches.subList(matches.size() - n, matches.size())) : matches;
    }

    static Pattern globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
