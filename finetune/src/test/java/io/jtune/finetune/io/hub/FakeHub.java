package io.jtune.finetune.io.hub;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face Hub on 127.0.0.1 for tests: {@code /{org}/{name}/resolve/{revision}/{file}} answers
 * HEAD and GET as the Hub does. Small files come back directly with an {@code ETag} (their sha1);
 * {@code .safetensors} files redirect to a "storage" host ({@code localhost}, another host name
 * for the same server) with {@code X-Linked-Etag} (their sha256) and {@code X-Linked-Size}. Every
 * answer carries {@code X-Repo-Commit}; errors carry {@code X-Error-Code} as the Hub sends it.
 * Bodies honour {@code Range: bytes=N-}. A file can be made to drop the connection or stall after
 * some bytes on its next GETs. Every request is recorded.
 */
final class FakeHub implements AutoCloseable {
    static final String COMMIT = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678";
    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    /** One request as the server saw it. */
    record Request(String method, String path, String host, String range, String authorization) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Map<String, byte[]>> repos = new ConcurrentHashMap<>();
    private final Map<String, String> gated = new ConcurrentHashMap<>();
    private final Map<String, byte[]> storage = new ConcurrentHashMap<>();
    private final Map<String, String> storageNames = new ConcurrentHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    volatile boolean ignoreRange;
    volatile boolean sendEtags = true;
    volatile boolean sendCommit = true;

    private record Fault(int afterBytes, long stallMillis, AtomicInteger times) {}

    FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private String storageHost() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** Serves {@code files} (name to content) as repository {@code repo}. */
    FakeHub repo(String repo, Map<String, byte[]> files) {
        repos.put(repo, new ConcurrentHashMap<>(files));
        return this;
    }

    /** Makes {@code repo} gated: only {@code Authorization: Bearer token} may read it. */
    FakeHub gate(String repo, String token) {
        gated.put(repo, token);
        return this;
    }

    /** The next {@code times} GETs of {@code file} close the connection after {@code afterBytes} bytes. */
    FakeHub drop(String file, int afterBytes, int times) {
        faults.put(file, new Fault(afterBytes, 0, new AtomicInteger(times)));
        return this;
    }

    /** The next GET of {@code file} sends {@code afterBytes} bytes, then nothing for {@code millis}. */
    FakeHub stall(String file, int afterBytes, long millis) {
        faults.put(file, new Fault(afterBytes, millis, new AtomicInteger(1)));
        return this;
    }

    /** Every request for {@code file} is answered with {@code status} and no body. */
    FakeHub answer(String file, int status) {
        statuses.put(file, status);
        return this;
    }

    List<Request> requests(String method, String pathPart) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.method.equals(method) && r.path.contains(pathPart)).toList();
        }
    }

    static String sha256(byte[] b) {
        return hex("SHA-256", b);
    }

    static String sha1(byte[] b) {
        return hex("SHA-1", b);
    }

    private static String hex(String algorithm, byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Headers in = ex.getRequestHeaders();
            String path = ex.getRequestURI().getRawPath();
            requests.add(new Request(ex.getRequestMethod(), path, in.getFirst("Host"), in.getFirst("Range"),
                    in.getFirst("Authorization")));
            if (path.startsWith("/storage/")) {
                String sha = path.substring("/storage/".length());
                byte[] content = storage.get(sha);
                if (content == null) {
                    status(ex, 404, null);
                } else {
                    body(ex, content, storageFile(sha));
                }
                return;
            }
            Matcher m = RESOLVE.matcher(path);
            if (!m.matches()) {
                status(ex, 404, null);
                return;
            }
            String repo = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
            String revision = URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
            String file = URLDecoder.decode(m.group(3), StandardCharsets.UTF_8);
            Map<String, byte[]> files = repos.get(repo);
            if (files == null) {
                status(ex, 404, "RepoNotFound");
                return;
            }
            String token = gated.get(repo);
            if (token != null && !("Bearer " + token).equals(in.getFirst("Authorization"))) {
                status(ex, in.getFirst("Authorization") == null ? 401 : 403, "GatedRepo");
                return;
            }
            if (!revision.equals("main") && !revision.equals(COMMIT)) {
                status(ex, 404, "RevisionNotFound");
                return;
            }
            if (statuses.containsKey(file)) {
                status(ex, statuses.get(file), null);
                return;
            }
            byte[] content = files.get(file);
            if (content == null) {
                status(ex, 404, "EntryNotFound");
                return;
            }
            Headers out = ex.getResponseHeaders();
            if (sendCommit) {
                out.set("X-Repo-Commit", COMMIT);
            }
            if (file.endsWith(".safetensors")) {
                String sha = sha256(content);
                storage.put(sha, content);
                storageNames.put(sha, file);
                if (sendEtags) {
                    out.set("X-Linked-Etag", "\"" + sha + "\"");
                }
                out.set("X-Linked-Size", String.valueOf(content.length));
                out.set("Location", storageHost() + "/storage/" + sha);
                ex.sendResponseHeaders(302, -1);
                return;
            }
            if (sendEtags) {
                out.set("ETag", "\"" + sha1(content) + "\"");
            }
            body(ex, content, file);
        }
    }

    private String storageFile(String sha) {
        return storageNames.getOrDefault(sha, sha);
    }

    private static void status(HttpExchange ex, int code, String errorCode) throws IOException {
        if (errorCode != null) {
            ex.getResponseHeaders().set("X-Error-Code", errorCode);
        }
        ex.sendResponseHeaders(code, -1);
    }

    private void body(HttpExchange ex, byte[] content, String file) throws IOException {
        int start = 0;
        int status = 200;
        Matcher range = RANGE.matcher(String.valueOf(ex.getRequestHeaders().getFirst("Range")));
        if (range.matches() && !ignoreRange) {
            start = Integer.parseInt(range.group(1));
            if (start >= content.length) {
                ex.getResponseHeaders().set("Content-Range", "bytes */" + content.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            status = 206;
            ex.getResponseHeaders().set("Content-Range",
                    "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
        }
        int length = content.length - start;
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", String.valueOf(length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        Fault fault = faults.get(file);
        boolean faulty = fault != null && fault.times.getAndDecrement() > 0;
        ex.sendResponseHeaders(status, length);
        OutputStream body = ex.getResponseBody();
        if (!faulty) {
            body.write(content, start, length);
            return;
        }
        int first = Math.min(length, fault.afterBytes);
        body.write(content, start, first);
        body.flush();
        if (fault.stallMillis > 0) {
            try {
                Thread.sleep(fault.stallMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        // Closing the exchange with bytes still owed closes the connection mid-body.
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
