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
 */
public final class History {
    /** One remembered cell. */
    public record Entry(int session, int line, String source) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final List<Entry> entries = new ArrayList<>();
    private final int session;

    public History(Path file) {
        this.file = file;
        load();
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

    /** Remembers a cell of this session and appends it to the file. */
    public synchronized void add(int line, String source) {
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
