package io.jtune.finetune.io.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jtune.finetune.io.safetensors.SafetensorsWriter;
import io.jtune.finetune.io.safetensors.ShardedSafetensors;
import io.jtune.finetune.io.safetensors.TensorData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubDownloaderTest {
    @TempDir
    Path dir;

    private FakeHub hub;
    private Path cache;
    private byte[] weights;
    private final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        cache = dir.resolve("hub");
        weights = weights(dir.resolve("w"), 800_000);
        hub.repo("org/tiny", tinyRepo(weights));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    /** A real safetensors file of {@code floats} seeded random floats (4 bytes each). */
    static byte[] weights(Path folder, int floats) throws IOException {
        float[] values = new float[floats];
        Random rnd = new Random(5);
        for (int i = 0; i < floats; i++) {
            values[i] = (float) rnd.nextGaussian();
        }
        Path file = folder.resolve("model.safetensors");
        SafetensorsWriter.write(file, List.of(TensorData.f32("w", new long[] {floats}, values)));
        return Files.readAllBytes(file);
    }

    static Map<String, byte[]> tinyRepo(byte[] weights) {
        Map<String, byte[]> files = new HashMap<>();
        files.put("config.json", "{\"model_type\": \"llama\"}".getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer.json", "{\"version\": \"1.0\"}".getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer_config.json", "{}".getBytes(StandardCharsets.UTF_8));
        files.put("model.safetensors", weights);
        return files;
    }

    private HubDownloader downloader(String token) {
        return new HubDownloader(hub.endpoint() + "/", token, (file, done, total) -> progress.add(file + " " + done + "/" + total),
                4, Duration.ofMillis(10), Duration.ofSeconds(10));
    }

    private Path repoDir() {
        return cache.resolve("models--org--tiny");
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(repoDir().resolve("blobs"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".incomplete"))
                    .collect(Collectors.toList());
        }
    }

    @Test
    void aModelLandsInTheHubCacheLayoutWithBlobsSnapshotLinksAndARef() throws IOException {
        Path snapshot = downloader(null).downloadModel("org/tiny", "main", cache);

        assertEquals(repoDir().toAbsolutePath().resolve("snapshots").resolve(FakeHub.COMMIT), snapshot);
        assertEquals(FakeHub.COMMIT, Files.readString(repoDir().resolve("refs/main")));
        Map<String, byte[]> files = tinyRepo(weights);
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path link = snapshot.resolve(e.getKey());
            String etag = e.getKey().endsWith(".safetensors") ? FakeHub.sha256(e.getValue()) : FakeHub.sha1(e.getValue());
            assertTrue(Files.isSymbolicLink(link), e.getKey());
            assertEquals(Path.of("../../blobs/" + etag), Files.readSymbolicLink(link));
            assertArrayEquals(e.getValue(), Files.readAllBytes(link), e.getKey());
        }
        assertFalse(Files.exists(snapshot.resolve("generation_config.json")));
        assertFalse(Files.exists(snapshot.resolve("special_tokens_map.json")));
        assertEquals(List.of(), leftovers());
        try (ShardedSafetensors w = ShardedSafetensors.open(snapshot)) {
            assertEquals(800_000, w.readFloats("w").length);
        }
        assertEquals("model.safetensors " + weights.length + "/" + weights.length, progress.get(progress.size() - 1));
        assertTrue(hub.requests.stream().allMatch(r -> r.authorization() == null));
    }

    @Test
    void theFirstFilePinsTheCommitAndTheRestAreFetchedFromIt() throws IOException {
        downloader(null).downloadModel("org/tiny", "main", cache);
        assertEquals(1, hub.requests("HEAD", "/resolve/main/").size());
        assertEquals("/org/tiny/resolve/main/config.json", hub.requests("HEAD", "/resolve/main/").get(0).path());
        assertEquals(1, hub.requests("GET", "/resolve/" + FakeHub.COMMIT + "/tokenizer.json").size());
        assertEquals(0, hub.requests("GET", "/resolve/main/tokenizer.json").size());
    }

    @Test
    void everyShardTheIndexNamesIsDownloaded() throws IOException {
        Path src = dir.resolve("sharded");
        SafetensorsWriter.writeSharded(src, List.of(TensorData.f32("a", new long[] {3}, new float[] {1, 2, 3}),
                TensorData.f32("b", new long[] {2}, new float[] {4, 5})), 12);
        Map<String, byte[]> files = tinyRepo(weights);
        files.remove("model.safetensors");
        for (String name : List.of("model.safetensors.index.json", "model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors")) {
            files.put(name, Files.readAllBytes(src.resolve(name)));
        }
        hub.repo("org/sharded", files);
        Path snapshot = downloader(null).downloadModel("org/sharded", "main", cache);
        try (ShardedSafetensors w = ShardedSafetensors.open(snapshot)) {
            assertArrayEquals(new float[] {4, 5}, w.readFloats("b"));
            assertEquals(2, w.files().size());
        }
    }

    @Test
    void theTokenGoesToTheHubButNeverToTheStorageHost() throws IOException {
        hub.repo("org/private", tinyRepo(weights)).gate("org/private", "hf_secret");
        downloader("hf_secret").downloadModel("org/private", "main", cache);
        List<FakeHub.Request> toHub = hub.requests("HEAD", "/org/private/");
        List<FakeHub.Request> toStorage = hub.requests("GET", "/storage/");
        assertFalse(toHub.isEmpty());
        assertTrue(toHub.stream().allMatch(r -> "Bearer hf_secret".equals(r.authorization())));
        assertEquals(1, toStorage.size());
        assertTrue(toStorage.get(0).host().startsWith("localhost:"));
        assertNull(toStorage.get(0).authorization());
    }

    @Test
    void aGatedRepoWithoutATokenFailsSayingToSetHfToken() {
        hub.repo("org/private", tinyRepo(weights)).gate("org/private", "hf_secret");
        HubException e = assertThrows(HubException.class, () -> downloader(null).downloadModel("org/private", "main", cache));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().startsWith("the Hub refused 'config.json' of repo 'org/private' (401): the repo is "
                + "gated or private; set HF_TOKEN to an access token of an account that may read it."), e.getMessage());
        assertTrue(e.getMessage().endsWith("(" + hub.endpoint() + "/org/private/resolve/main/config.json)"));

        HubException wrong = assertThrows(HubException.class,
                () -> downloader("hf_other").downloadModel("org/private", "main", cache));
        assertEquals(403, wrong.status());
        assertTrue(wrong.getMessage().contains("the HF_TOKEN in use has no access to it"), wrong.getMessage());
    }

    @Test
    void aMissingRepoRevisionOrFileIsA404NamingTheRepoAndTheFile() {
        HubException repo = assertThrows(HubException.class, () -> downloader(null).downloadModel("org/nope", "main", cache));
        assertEquals(404, repo.status());
        assertTrue(repo.getMessage().startsWith("repo 'org/nope' not found on the Hub (404 for file 'config.json')"),
                repo.getMessage());

        HubException revision = assertThrows(HubException.class, () -> downloader(null).downloadModel("org/tiny", "v9", cache));
        assertTrue(revision.getMessage().startsWith("revision 'v9' not found in repo 'org/tiny'"), revision.getMessage());

        Map<String, byte[]> files = tinyRepo(weights);
        files.remove("tokenizer.json");
        hub.repo("org/notok", files);
        HubException file = assertThrows(HubException.class, () -> downloader(null).downloadModel("org/notok", "main", cache));
        assertTrue(file.getMessage().startsWith("file 'tokenizer.json' not found in repo 'org/notok' (404)."),
                file.getMessage());

        files = tinyRepo(weights);
        files.remove("model.safetensors");
        hub.repo("org/noweights", files);
        HubException weightsMissing = assertThrows(HubException.class,
                () -> downloader(null).downloadModel("org/noweights", "main", cache));
        assertTrue(weightsMissing.getMessage().startsWith("repo 'org/noweights' at revision 'main' has neither "
                + "model.safetensors nor model.safetensors.index.json"), weightsMissing.getMessage());
    }

    @Test
    void anyOtherErrorStatusNamesTheStatusAndTheUrl() {
        hub.answer("tokenizer.json", 503);
        HubException e = assertThrows(HubException.class, () -> downloader(null).downloadModel("org/tiny", "main", cache));
        assertEquals(503, e.status());
        assertEquals("the Hub answered 503 for 'tokenizer.json' of repo 'org/tiny'. (" + hub.endpoint()
                + "/org/tiny/resolve/" + FakeHub.COMMIT + "/tokenizer.json)", e.getMessage());
    }

    @Test
    void anErrorOtherThan404OnAnOptionalFileStopsTheDownload() throws IOException {
        hub.answer("special_tokens_map.json", 500);
        assertEquals(500, assertThrows(HubException.class,
                () -> downloader(null).downloadModel("org/tiny", "main", cache)).status());
    }

    @Test
    void aConnectionDroppedMidFileIsResumedWithARangeRequestAndTheFileIsByteIdentical() throws IOException {
        hub.drop("model.safetensors", 1_000_000, 1);
        Path snapshot = downloader(null).downloadModel("org/tiny", "main", cache);
        assertArrayEquals(weights, Files.readAllBytes(snapshot.resolve("model.safetensors")));
        List<FakeHub.Request> gets = hub.requests("GET", "/storage/");
        assertEquals(2, gets.size());
        assertNull(gets.get(0).range());
        assertEquals("bytes=1000000-", gets.get(1).range());
        assertEquals(List.of(), leftovers());
    }

    @Test
    void aServerThatIgnoresTheRangeIsReadFromTheStartAgain() throws IOException {
        hub.ignoreRange = true;
        hub.drop("model.safetensors", 700_000, 1);
        Path snapshot = downloader(null).downloadModel("org/tiny", "main", cache);
        assertArrayEquals(weights, Files.readAllBytes(snapshot.resolve("model.safetensors")));
        assertEquals("bytes=700000-", hub.requests("GET", "/storage/").get(1).range());
    }

    @Test
    void aStalledConnectionIsAbandonedAndResumed() throws IOException {
        hub.stall("model.safetensors", 500_000, 10_000);
        HubDownloader impatient = new HubDownloader(hub.endpoint(), null, DownloadListener.NONE, 3,
                Duration.ofMillis(10), Duration.ofMillis(1000));
        long start = System.nanoTime();
        Path snapshot = impatient.downloadModel("org/tiny", "main", cache);
        assertTrue(System.nanoTime() - start < 8_000_000_000L, "gave up on the stall well before it ended");
        assertArrayEquals(weights, Files.readAllBytes(snapshot.resolve("model.safetensors")));
        assertEquals("bytes=500000-", hub.requests("GET", "/storage/").get(1).range());
    }

    @Test
    void aConnectionThatKeepsDroppingFailsAfterTheTriesAndTheNextCallResumes() throws IOException {
        hub.drop("model.safetensors", 300_000, 4);
        IOException e = assertThrows(IOException.class, () -> downloader(null).downloadModel("org/tiny", "main", cache));
        assertTrue(e.getMessage().startsWith("model.safetensors: download from " + hub.endpoint()
                + "/org/tiny/resolve/" + FakeHub.COMMIT + "/model.safetensors failed after 4 tries"), e.getMessage());
        assertTrue(e.getMessage().contains(".incomplete and the next try resumes there"), e.getMessage());
        assertEquals(1, leftovers().size());
        assertEquals(1_200_000, Files.size(repoDir().resolve("blobs").resolve(leftovers().get(0))));

        Path snapshot = downloader(null).downloadModel("org/tiny", "main", cache);
        assertArrayEquals(weights, Files.readAllBytes(snapshot.resolve("model.safetensors")));
        List<FakeHub.Request> gets = hub.requests("GET", "/storage/");
        assertEquals("bytes=1200000-", gets.get(gets.size() - 1).range());
    }

    @Test
    void aBlobAlreadyInTheCacheIsNotDownloadedAgain() throws IOException {
        downloader(null).downloadModel("org/tiny", "main", cache);
        int gets = hub.requests("GET", "/").size();
        progress.clear();
        downloader(null).downloadModel("org/tiny", "main", cache);
        assertEquals(gets, hub.requests("GET", "/").size());
        assertTrue(progress.contains("model.safetensors " + weights.length + "/" + weights.length), progress.toString());
    }

    @Test
    void withoutEtagsBlobsAreNamedByTheSha256OfTheirContent() throws IOException {
        hub.sendEtags = false;
        Path snapshot = downloader(null).downloadModel("org/tiny", "main", cache);
        byte[] config = tinyRepo(weights).get("config.json");
        assertEquals(Path.of("../../blobs/" + FakeHub.sha256(config)), Files.readSymbolicLink(snapshot.resolve("config.json")));
        assertEquals(Path.of("../../blobs/" + FakeHub.sha256(weights)),
                Files.readSymbolicLink(snapshot.resolve("model.safetensors")));
    }

    @Test
    void withoutXRepoCommitTheRevisionNamesTheSnapshotAndTheRef() throws IOException {
        hub.sendCommit = false;
        Path snapshot = downloader(null).downloadModel("org/tiny", "main", cache);
        assertEquals(repoDir().toAbsolutePath().resolve("snapshots/main"), snapshot);
        assertEquals("main", Files.readString(repoDir().resolve("refs/main")));
    }

    @Test
    void aSingleFileCanBeDownloadedAtACommit() throws IOException {
        Path config = downloader(null).downloadFile("org/tiny", FakeHub.COMMIT, "config.json", cache);
        assertEquals(repoDir().toAbsolutePath().resolve("snapshots/" + FakeHub.COMMIT + "/config.json"), config);
        assertEquals("{\"model_type\": \"llama\"}", Files.readString(config));
    }

    @Test
    void namesThatWouldLeaveTheCacheAreRefused() {
        assertThrows(IOException.class, () -> downloader(null).downloadFile("org/tiny", "main", "../x.json", cache));
        assertThrows(IOException.class, () -> downloader(null).downloadFile("org/tiny", "../main", "config.json", cache));
        assertTrue(hub.requests.isEmpty());
    }

    @Test
    void theEnvironmentSetsTheEndpointAndToken() {
        assertEquals("https://huggingface.co", HubDownloader.fromEnvironment(Map.of(), DownloadListener.NONE).endpoint());
        assertEquals("http://mirror.test", HubDownloader.fromEnvironment(Map.of("HF_ENDPOINT", "http://mirror.test/"),
                DownloadListener.NONE).endpoint());
    }

    @Test
    void etagsAreUnquotedAndUnsafeOnesIgnored() {
        assertEquals("abc123", HubDownloader.cleanEtag("W/\"abc123\""));
        assertNull(HubDownloader.cleanEtag("\"../../etc\""));
        assertNull(HubDownloader.cleanEtag(null));
    }
}
