package io.jtune.finetune.io.hub;

import io.jtune.finetune.io.safetensors.ShardedSafetensors;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a model's files from the Hugging Face Hub into the Hub's cache layout, the one the
 * Python {@code huggingface_hub} library uses, so both share downloads.
 *
 * <p>Each file is fetched from {@code {endpoint}/{repo}/resolve/{revision}/{file}} (endpoint
 * {@code HF_ENDPOINT}, default {@value #DEFAULT_ENDPOINT}), with {@code Authorization: Bearer
 * $HF_TOKEN} when a token is set (sent only to the endpoint's host, never to the storage host it
 * redirects to). A {@code HEAD} request first learns the file's commit ({@code X-Repo-Commit}),
 * ETag ({@code X-Linked-Etag} for large files, else {@code ETag}, quotes stripped) and size
 * ({@code X-Linked-Size}, else {@code Content-Length}); then the file lands in:
 *
 * <pre>
 * {cache}/models--{org}--{name}/
 *     blobs/{etag}                        the content (sha256 of the content when there is no ETag)
 *     snapshots/{commit}/{file}           relative symbolic link to ../../blobs/{etag} (a copy where links fail)
 *     refs/{revision}                     the commit the revision resolved to
 * </pre>
 *
 * <p>Downloads are resumable: bytes go to {@code blobs/{etag}.incomplete}; a dropped connection is
 * retried a few times, each retry asking for the rest with {@code Range: bytes=N-} and appending on
 * 206 (starting over on 200); the finished file is checked against the announced size (and, for
 * large files whose ETag is a sha256, against the hash) and moved to its blob name atomically. A
 * blob already in the cache is not downloaded again.
 *
 * <p>{@link #downloadModel} fetches {@link #REQUIRED_FILES}, {@link #OPTIONAL_FILES} when the
 * repository has them, and either {@code model.safetensors} or {@code model.safetensors.index.json}
 * and every shard the index names, all from the commit the revision resolved to at the first file.
 * HTTP errors are {@link HubException}s (see there); network failures that outlast the retries are
 * {@link IOException}s naming the file and URL. Two processes downloading the same file at once are
 * not coordinated (no lock files).
 */
public final class HubDownloader {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    /** Files every model download needs (with the weights). */
    public static final List<String> REQUIRED_FILES = List.of("config.json", "tokenizer.json");
    /** Files fetched when the repository has them. */
    public static final List<String> OPTIONAL_FILES =
            List.of("generation_config.json", "tokenizer_config.json", "special_tokens_map.json");

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final int MAX_REDIRECTS = 10;

    private final String endpoint;
    private final String token;
    private final DownloadListener listener;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final Duration idleTimeout;
    private final HttpClient client;

    /**
     * @param endpoint the Hub's base URL, such as {@value #DEFAULT_ENDPOINT}
     * @param token a Hub access token, or null
     * @param listener hears progress; {@link DownloadListener#NONE} for none
     */
    public HubDownloader(String endpoint, String token, DownloadListener listener) {
        this(endpoint, token, listener, 5, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    HubDownloader(String endpoint, String token, DownloadListener listener, int maxAttempts, Duration retryDelay,
            Duration idleTimeout) {
        String e = Objects.requireNonNull(endpoint, "endpoint").strip();
        while (e.endsWith("/")) {
            e = e.substring(0, e.length() - 1);
        }
        this.endpoint = e;
        this.token = token == null || token.isBlank() ? null : token.strip();
        this.listener = Objects.requireNonNull(listener, "listener");
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
        this.idleTimeout = idleTimeout;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** A downloader for {@code HF_ENDPOINT} and {@code HF_TOKEN} from {@code env}. */
    public static HubDownloader fromEnvironment(Map<String, String> env, DownloadListener listener) {
        String endpoint = env.get("HF_ENDPOINT");
        return new HubDownloader(endpoint == null || endpoint.isBlank() ? DEFAULT_ENDPOINT : endpoint,
                env.get("HF_TOKEN"), listener);
    }

    /** The Hub's base URL, without a trailing slash. */
    public String endpoint() {
        return endpoint;
    }

    /** {@code {hubCache}/models--{org}--{name}}: where a repository's files are cached. */
    public static Path repoFolder(Path hubCache, String repoId) {
        return HubCache.repoFolder(hubCache, repoId);
    }

    /**
     * Downloads what a model needs (see the class description) and records the revision's commit
     * in {@code refs/}.
     *
     * @return the snapshot folder, {@code snapshots/{commit}}
     */
    public Path downloadModel(String repoId, String revision, Path hubCache) throws IOException {
        checkRevision(revision);
        Path repoDir = repoFolder(hubCache, repoId).toAbsolutePath().normalize();
        Fetched config = fetch(repoId, revision, REQUIRED_FILES.get(0), repoDir, null);
        String commit = config.commit;
        for (String file : OPTIONAL_FILES) {
            fetchIfPresent(repoId, commit, file, repoDir);
        }
        for (String file : REQUIRED_FILES.subList(1, REQUIRED_FILES.size())) {
            fetch(repoId, commit, file, repoDir, commit);
        }
        if (fetchIfPresent(repoId, commit, ShardedSafetensors.SINGLE_FILE, repoDir).isEmpty()) {
            Optional<Fetched> index = fetchIfPresent(repoId, commit, ShardedSafetensors.INDEX_FILE, repoDir);
            if (index.isEmpty()) {
                throw new HubException("repo '" + repoId + "' at revision '" + revision + "' has neither "
                        + ShardedSafetensors.SINGLE_FILE + " nor " + ShardedSafetensors.INDEX_FILE
                        + ": jtune loads safetensors weights only", 404,
                        resolveUri(repoId, commit, ShardedSafetensors.INDEX_FILE));
            }
            for (String shard : ShardedSafetensors.shardNames(index.get().path)) {
                fetch(repoId, commit, shard, repoDir, commit);
            }
        }
        HubCache.writeRef(repoDir, revision, commit);
        return repoDir.resolve("snapshots").resolve(commit);
    }

    /**
     * Downloads one file of a repository into the cache (unless its blob is there already) and
     * records the revision's commit in {@code refs/}.
     *
     * @return the file in its snapshot folder
     */
    public Path downloadFile(String repoId, String revision, String file, Path hubCache) throws IOException {
        checkRevision(revision);
        Path repoDir = repoFolder(hubCache, repoId).toAbsolutePath().normalize();
        Fetched f = fetch(repoId, revision, file, repoDir, null);
        HubCache.writeRef(repoDir, revision, f.commit);
        return f.path;
    }

    private record Fetched(String commit, Path path) {}

    private record Meta(String commit, String etag, boolean linked, long size) {}

    private Optional<Fetched> fetchIfPresent(String repoId, String revision, String file, Path repoDir)
            throws IOException {
        try {
            return Optional.of(fetch(repoId, revision, file, repoDir, revision));
        } catch (HubException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Fetches one file; {@code snapshotCommit} is null for the first file, whose answer names the commit. */
    private Fetched fetch(String repoId, String revision, String file, Path repoDir, String snapshotCommit)
            throws IOException {
        checkFileName(file);
        URI uri = resolveUri(repoId, revision, file);
        Meta meta = head(uri, repoId, revision, file);
        String commit = snapshotCommit != null ? snapshotCommit : meta.commit != null ? meta.commit : revision;
        Path blob = blob(uri, meta, repoDir, repoId, revision, file);
        Path target = repoDir.resolve("snapshots").resolve(commit).resolve(file);
        HubCache.link(target, blob);
        return new Fetched(commit, target);
    }

    URI resolveUri(String repoId, String revision, String file) {
        StringBuilder path = new StringBuilder();
        for (String segment : file.split("/")) {
            path.append('/').append(encode(segment));
        }
        return URI.create(endpoint + "/" + repoId + "/resolve/" + encode(revision) + path);
    }

    private static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static void checkRevision(String revision) throws IOException {
        if (revision == null || revision.isEmpty() || revision.startsWith("/") || revision.endsWith("/")
                || revision.contains("\\") || List.of(revision.split("/")).contains("..")
                || List.of(revision.split("/")).contains(".")) {
            throw new IOException("'" + revision + "' is not a valid revision");
        }
    }

    private static void checkFileName(String file) throws IOException {
        if (file.isEmpty() || file.startsWith("/") || file.contains("\\")
                || List.of(file.split("/")).contains("..") || List.of(file.split("/")).contains(".")) {
            throw new IOException("'" + file + "' is not a valid file name inside a repository");
        }
    }

    // ---- HEAD: the file's commit, ETag and size

    private Meta head(URI uri, String repoId, String revision, String file) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            try {
                return headOnce(uri, repoId, revision, file);
            } catch (HubException e) {
                throw e;
            } catch (IOException e) {
                last = e;
                pause(attempt);
            }
        }
        throw new IOException(file + ": cannot reach " + uri + " after " + maxAttempts + " tries: " + last, last);
    }

    private Meta headOnce(URI uri, String repoId, String revision, String file) throws IOException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest request = request(current, uri).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            HttpResponse<Void> r = await(client.sendAsync(request, HttpResponse.BodyHandlers.discarding()),
                    new AtomicLong(System.nanoTime()), current);
            int status = r.statusCode();
            HttpHeaders h = r.headers();
            if (status >= 300 && status < 400) {
                URI next = location(r, current);
                if (sameOrigin(next, uri)) {
                    current = next;
                    continue;
                }
                // A redirect to the storage host: the Hub's own answer carries the metadata.
                return meta(h, false, current);
            }
            if (status >= 200 && status < 300) {
                return meta(h, true, current);
            }
            throw httpError(status, h, current, repoId, revision, file);
        }
        throw new IOException(file + ": more than " + MAX_REDIRECTS + " redirects from " + uri);
    }

    private static Meta meta(HttpHeaders h, boolean final2xx, URI url) throws IOException {
        String commit = h.firstValue("X-Repo-Commit").map(String::strip).orElse(null);
        if (commit != null && !SAFE_NAME.matcher(commit).matches()) {
            throw new IOException("the Hub sent an invalid X-Repo-Commit header '" + commit + "' for " + url);
        }
        Optional<String> linked = h.firstValue("X-Linked-Etag");
        String etag = cleanEtag(linked.or(() -> h.firstValue("ETag")).orElse(null));
        long size = parseSize(h.firstValue("X-Linked-Size").orElse(null));
        if (size < 0 && final2xx) {
            size = parseSize(h.firstValue("Content-Length").orElse(null));
        }
        return new Meta(commit, etag, linked.isPresent(), size);
    }

    static String cleanEtag(String raw) {
        if (raw == null) {
            return null;
        }
        String e = raw.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        e = e.replace("\"", "");
        return SAFE_NAME.matcher(e).matches() && !e.startsWith(".") ? e : null;
    }

    private static long parseSize(String s) {
        if (s == null) {
            return -1;
        }
        try {
            long v = Long.parseLong(s.strip());
            return v >= 0 ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- GET: the file's bytes into blobs/

    private Path blob(URI uri, Meta meta, Path repoDir, String repoId, String revision, String file)
            throws IOException {
        Path blobs = repoDir.resolve("blobs");
        Files.createDirectories(blobs);
        Path incomplete;
        if (meta.etag != null) {
            Path blob = blobs.resolve(meta.etag);
            if (Files.isRegularFile(blob) && (meta.size < 0 || Files.size(blob) == meta.size)) {
                long size = Files.size(blob);
                listener.progress(file, size, size);
                return blob;
            }
            incomplete = blobs.resolve(meta.etag + ".incomplete");
        } else {
            String urlHash = HubCache.sha256(uri.toString().getBytes(StandardCharsets.UTF_8));
            incomplete = blobs.resolve("url-" + urlHash + ".incomplete");
        }
        transfer(uri, incomplete, meta.size, repoId, revision, file);
        String name = meta.etag;
        String contentHash = null;
        if (name == null || (meta.linked && SHA256.matcher(name).matches())) {
            contentHash = HubCache.sha256(incomplete);
        }
        if (name == null) {
            name = contentHash;
        } else if (contentHash != null && !contentHash.equals(name)) {
            Files.deleteIfExists(incomplete);
            throw new IOException(file + ": the downloaded bytes hash to sha256 " + contentHash
                    + " but the Hub announced " + name + " (" + uri + "); the partial file was removed, try again");
        }
        Path blob = blobs.resolve(name);
        try {
            Files.move(incomplete, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(incomplete, blob, StandardCopyOption.REPLACE_EXISTING);
        }
        return blob;
    }

    private void transfer(URI uri, Path incomplete, long expected, String repoId, String revision, String file)
            throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
            if (expected >= 0 && have > expected) {
                HubCache.truncate(incomplete);
                have = 0;
            }
            if (expected >= 0 && have == expected && Files.exists(incomplete)) {
                listener.progress(file, have, expected);
                return;
            }
            try {
                if (getOnce(uri, incomplete, have, expected, repoId, revision, file)) {
                    return;
                }
                last = new IOException("the connection ended after " + Files.size(incomplete) + " of " + expected + " bytes");
            } catch (HubException e) {
                throw e;
            } catch (IOException e) {
                last = e;
            }
            if (attempt < maxAttempts) {
                pause(attempt);
            }
        }
        throw new IOException(file + ": download from " + uri + " failed after " + maxAttempts + " tries: "
                + (last == null ? "" : last.getMessage()) + " (the bytes so far are kept in " + incomplete
                + " and the next try resumes there)", last);
    }

    /** One GET (following redirects); true when the file is complete afterwards. */
    private boolean getOnce(URI uri, Path incomplete, long have, long expected, String repoId, String revision,
            String file) throws IOException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = request(current, uri).GET();
            if (have > 0) {
                b.header("Range", "bytes=" + have + "-");
            }
            AtomicLong activity = new AtomicLong(System.nanoTime());
            AtomicReference<IncompleteFileSubscriber> writer = new AtomicReference<>();
            HttpResponse.BodyHandler<Long> handler = info -> {
                int s = info.statusCode();
                if (s == 200 || s == 206) {
                    IncompleteFileSubscriber w = new IncompleteFileSubscriber(incomplete,
                            s == 200 ? 0 : rangeStart(info.headers()), have, expected, file, activity, listener);
                    writer.set(w);
                    return w;
                }
                return BodySubscribers.replacing(-1L);
            };
            HttpResponse<Long> r;
            try {
                r = await(client.sendAsync(b.build(), handler), activity, current);
            } finally {
                IncompleteFileSubscriber w = writer.get();
                if (w != null) {
                    w.closeChannel();
                }
            }
            int status = r.statusCode();
            if (status >= 300 && status < 400) {
                current = location(r, current);
                continue;
            }
            if (status == 200 || status == 206) {
                long size = Files.size(incomplete);
                listener.progress(file, size, expected);
                if (expected < 0) {
                    return true;
                }
                if (size > expected) {
                    HubCache.truncate(incomplete);
                    throw new IOException("the server sent " + size + " bytes, more than the " + expected + " announced");
                }
                return size == expected;
            }
            if (status == 416) {
                if (expected >= 0 && have == expected) {
                    return true;
                }
                HubCache.truncate(incomplete);
                return false;
            }
            throw httpError(status, r.headers(), current, repoId, revision, file);
        }
        throw new IOException(file + ": more than " + MAX_REDIRECTS + " redirects from " + uri);
    }

    /** The first byte of a 206 answer, or -1 when its Content-Range cannot be read. */
    private static long rangeStart(HttpHeaders h) {
        Matcher m = CONTENT_RANGE.matcher(h.firstValue("Content-Range").orElse("").strip());
        return m.matches() ? parseSize(m.group(1)) : -1;
    }

    // ---- shared HTTP helpers

    private HttpRequest.Builder request(URI url, URI original) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url)
                .header("User-Agent", "jtune/0.1 (java " + Runtime.version().feature() + ")")
                .header("Accept-Encoding", "identity");
        if (token != null && sameOrigin(url, original)) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme())
                && Objects.equals(a.getHost(), b.getHost())
                && a.getPort() == b.getPort();
    }

    private static URI location(HttpResponse<?> r, URI current) throws IOException {
        String loc = r.headers().firstValue("Location").orElseThrow(() ->
                new IOException("redirect " + r.statusCode() + " without a Location from " + current));
        try {
            return current.resolve(loc);
        } catch (IllegalArgumentException e) {
            throw new IOException("redirect to an invalid Location '" + loc + "' from " + current, e);
        }
    }

    /** Waits for a response, giving up when nothing has arrived for the idle timeout. */
    private <T> HttpResponse<T> await(CompletableFuture<HttpResponse<T>> future, AtomicLong activity, URI url)
            throws IOException {
        long idleNanos = idleTimeout.toNanos();
        while (true) {
            try {
                return future.get(Math.min(200, idleTimeout.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() - activity.get() > idleNanos) {
                    future.cancel(true);
                    throw new IOException("no data from " + url + " for " + idleTimeout.toSeconds() + " s");
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                throw new IOException("request to " + url + " failed: " + cause, cause);
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while downloading " + url);
            }
        }
    }

    private HubException httpError(int status, HttpHeaders h, URI url, String repoId, String revision, String file) {
        String repo = repoId;
        String code = h.firstValue("X-Error-Code").orElse("");
        String hubMessage = h.firstValue("X-Error-Message").map(m -> " The Hub says: " + m).orElse("");
        String what = "'" + file + "' of repo '" + repo + "'";
        String message;
        if (status == 401 || status == 403) {
            message = "the Hub refused " + what + " (" + status + "): the repo is gated or private"
                    + (token == null
                            ? "; set HF_TOKEN to an access token of an account that may read it"
                            : "; the HF_TOKEN in use has no access to it: accept the repo's terms on the Hub"
                                    + " with that account, or use another token")
                    + "." + hubMessage + " (" + url + ")";
        } else if (status == 404) {
            message = switch (code) {
                case "RepoNotFound" -> "repo '" + repo + "' not found on the Hub (404 for file '" + file
                        + "'); check the name, or set HF_TOKEN if it is private.";
                case "RevisionNotFound" -> "revision '" + revision + "' not found in repo '" + repo + "' (404 for file '"
                        + file + "').";
                case "EntryNotFound" -> "file '" + file + "' not found in repo '" + repo + "' (404).";
                default -> "repo '" + repo + "' or its file '" + file + "' not found on the Hub (404).";
            } + hubMessage + " (" + url + ")";
        } else {
            message = "the Hub answered " + status + " for " + what + "." + hubMessage + " (" + url + ")";
        }
        return new HubException(message, status, url);
    }

    private void pause(int attempt) throws InterruptedIOException {
        try {
            Thread.sleep(retryDelay.toMillis() * attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted between download tries");
        }
    }
}
