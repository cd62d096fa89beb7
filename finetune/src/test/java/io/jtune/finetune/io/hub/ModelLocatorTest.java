package io.jtune.finetune.io.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocatorTest {
    @TempDir
    Path dir;

    private FakeHub hub;
    private Path home;
    private Path cache;
    private byte[] weights;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        home = Files.createDirectories(dir.resolve("home"));
        cache = dir.resolve("cache");
        weights = HubDownloaderTest.weights(Files.createDirectories(dir.resolve("w")), 1000);
        hub.repo("org/tiny", HubDownloaderTest.tinyRepo(weights));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private ModelLocator locator(Map<String, String> env) {
        return new ModelLocator(env, home, new HubDownloader(hub.endpoint(), null, DownloadListener.NONE, 3,
                Duration.ofMillis(10), Duration.ofSeconds(10)));
    }

    private Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("HF_HUB_CACHE", cache.toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    /** A complete snapshot in the cache, as huggingface_hub leaves it, without the fake Hub. */
    private Path cachedSnapshot(String repoFolder, String commit) throws IOException {
        Path snapshot = Files.createDirectories(cache.resolve(repoFolder).resolve("snapshots").resolve(commit));
        Files.writeString(snapshot.resolve("config.json"), "{}");
        Files.writeString(snapshot.resolve("tokenizer.json"), "{}");
        Files.write(snapshot.resolve("model.safetensors"), weights);
        return snapshot;
    }

    @Test
    void anExistingLocalFolderIsReturnedAsItIs() throws IOException {
        Path model = Files.createDirectories(dir.resolve("my-model"));
        assertEquals(model.toAbsolutePath(), locator(env()).locate(model.toString()));
        Files.createDirectories(home.resolve("models/x"));
        assertEquals(home.resolve("models/x").toAbsolutePath(), locator(env()).locate("~/models/x"));
        assertTrue(hub.requests.isEmpty());
    }

    @Test
    void baseNamesTheBuiltInBaseModelUnlessAFolderOfThatNameExists() throws IOException {
        Path base = Files.createDirectories(dir.resolve("built-in"));
        Files.writeString(base.resolve("config.json"), "{}");
        Files.writeString(base.resolve("model.safetensors"), "");
        String old = System.getProperty("jtune.base.model");
        System.setProperty("jtune.base.model", base.toString());
        try {
            assertEquals(base.toAbsolutePath(), locator(env()).locate("base"));
            System.setProperty("jtune.base.model", dir.resolve("nowhere").toString());
            if (io.jtune.finetune.base.BuiltinBase.find().isEmpty()) { // the checkout's copy is found otherwise
                ModelNotFoundException e = assertThrows(ModelNotFoundException.class, () -> locator(env()).locate("base"));
                assertTrue(e.getMessage().contains("./jtune base-model build"), e.getMessage());
            }
        } finally {
            if (old == null) {
                System.clearProperty("jtune.base.model");
            } else {
                System.setProperty("jtune.base.model", old);
            }
        }
    }

    @Test
    void theCacheFolderComesFromHfHubCacheThenHfHomeThenXdgThenTheHomeFolder() {
        assertEquals(Path.of("/c/hub-cache"), locator(Map.of("HF_HUB_CACHE", "/c/hub-cache", "HF_HOME", "/h")).hubCache());
        assertEquals(Path.of("/h/hub"), locator(Map.of("HF_HOME", "/h", "XDG_CACHE_HOME", "/x")).hubCache());
        assertEquals(Path.of("/x/huggingface/hub"), locator(Map.of("XDG_CACHE_HOME", "/x")).hubCache());
        assertEquals(home.resolve(".cache/huggingface/hub"), locator(Map.of()).hubCache());
        assertEquals(home.resolve("hf/hub"), locator(Map.of("HF_HOME", "~/hf")).hubCache());
    }

    @Test
    void aCachedSnapshotIsFoundThroughItsRefWithoutAnyRequest() throws IOException {
        Path snapshot = cachedSnapshot("models--org--tiny", "c0ffee");
        Files.createDirectories(cache.resolve("models--org--tiny/refs"));
        Files.writeString(cache.resolve("models--org--tiny/refs/main"), "c0ffee\n");
        assertEquals(snapshot, locator(env()).locate("org/tiny"));
        assertEquals(Optional.of(snapshot), locator(env()).findInCache("org/tiny", "main"));
        assertTrue(hub.requests.isEmpty(), hub.requests.toString());
    }

    @Test
    void theCacheUnderHfHomeAndUnderTheHomeFolderIsSearchedToo() throws IOException {
        Path underHfHome = dir.resolve("hf-home/hub");
        Path snap = Files.createDirectories(underHfHome.resolve("models--org--tiny/snapshots/abc"));
        for (String f : List.of("config.json", "tokenizer.json", "model.safetensors")) {
            Files.writeString(snap.resolve(f), "x");
        }
        Files.createDirectories(underHfHome.resolve("models--org--tiny/refs"));
        Files.writeString(underHfHome.resolve("models--org--tiny/refs/main"), "abc");
        assertEquals(snap, locator(Map.of("HF_HOME", dir.resolve("hf-home").toString())).locate("org/tiny"));

        Path defaultCache = home.resolve(".cache/huggingface/hub");
        Path snap2 = Files.createDirectories(defaultCache.resolve("models--gpt2/snapshots/def"));
        for (String f : List.of("config.json", "tokenizer.json", "model.safetensors")) {
            Files.writeString(snap2.resolve(f), "x");
        }
        assertEquals(snap2, locator(Map.of("HF_HUB_OFFLINE", "1")).locate("gpt2", "def"));
        assertTrue(hub.requests.isEmpty());
    }

    @Test
    void aRevisionThatIsACommitFolderIsAccepted() throws IOException {
        Path snapshot = cachedSnapshot("models--org--tiny", FakeHub.COMMIT);
        assertEquals(snapshot, locator(env("HF_HUB_OFFLINE", "1")).locate("org/tiny", FakeHub.COMMIT));
    }

    @Test
    void offlineModeFailsSayingTheModelIsNotCachedAndWhereItLooked() {
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> locator(env("HF_HUB_OFFLINE", "1")).locate("org/tiny"));
        assertEquals("model 'org/tiny' (revision 'main') is not in the Hugging Face cache and offline mode is on "
                + "(HF_HUB_OFFLINE=1); looked in " + cache.resolve("models--org--tiny") + " (the cache from HF_HUB_CACHE), "
                + "and 'org/tiny' is not a local folder either. Download it while online, or point to a local folder.",
                e.getMessage());
        assertTrue(hub.requests.isEmpty());
    }

    @Test
    void offlineModeNamesWhatAPartlyCachedSnapshotLacks() throws IOException {
        Path snapshot = cachedSnapshot("models--org--tiny", "c0ffee");
        Files.delete(snapshot.resolve("tokenizer.json"));
        Files.delete(snapshot.resolve("model.safetensors"));
        Files.writeString(snapshot.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00002-of-00002.safetensors\"}}");
        Files.write(snapshot.resolve("model-00001-of-00002.safetensors"), weights);
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> locator(env("HF_HUB_OFFLINE", "true")).locate("org/tiny", "c0ffee"));
        assertTrue(e.getMessage().startsWith("model 'org/tiny' (revision 'c0ffee') is only partly in the Hugging Face cache "
                + "(snapshots/c0ffee lacks tokenizer.json, model-00002-of-00002.safetensors) and offline mode is on"),
                e.getMessage());
    }

    @Test
    void aModelNotInTheCacheIsDownloadedAndThenFoundWithoutRequests() throws IOException {
        ModelLocator locator = locator(env());
        Path snapshot = locator.locate("org/tiny");
        assertEquals(cache.resolve("models--org--tiny/snapshots/" + FakeHub.COMMIT).toAbsolutePath(), snapshot);
        assertTrue(Files.isRegularFile(snapshot.resolve("model.safetensors")));
        int requests = hub.requests.size();
        assertTrue(requests > 0);
        assertEquals(snapshot.toAbsolutePath(), locator.locate("org/tiny").toAbsolutePath());
        assertEquals(requests, hub.requests.size());
        assertEquals(snapshot.toAbsolutePath(), locator(env("HF_HUB_OFFLINE", "1")).locate("org/tiny").toAbsolutePath());
    }

    @Test
    void aSnapshotWhoseBlobIsGoneCountsAsMissingAndIsDownloadedAgain() throws IOException {
        Path snapshot = locator(env()).locate("org/tiny");
        Files.delete(snapshot.resolve("model.safetensors").toRealPath());
        assertFalse(locator(env()).findInCache("org/tiny", "main").isPresent());
        locator(env()).locate("org/tiny");
        assertTrue(Files.isRegularFile(snapshot.resolve("model.safetensors")));
    }

    @Test
    void referencesThatAreNeitherFoldersNorRepoIdsAreClearErrors() {
        assertEquals("model folder './nothing/here' does not exist (" + Path.of("nothing/here").toAbsolutePath() + ")",
                assertThrows(ModelNotFoundException.class, () -> locator(env()).locate("./nothing/here")).getMessage());
        assertEquals("'a/b/c' is neither a local folder nor a Hugging Face repo id (ORG/NAME, such as 'Qwen/Qwen2.5-0.5B')",
                assertThrows(ModelNotFoundException.class, () -> locator(env()).locate("a/b/c")).getMessage());
        assertTrue(hub.requests.isEmpty());
    }

    @Test
    void repoIdsHaveTheHubsForm() {
        assertTrue(ModelLocator.isRepoId("Qwen/Qwen2.5-0.5B"));
        assertTrue(ModelLocator.isRepoId("gpt2"));
        assertFalse(ModelLocator.isRepoId("a/b/c"));
        assertFalse(ModelLocator.isRepoId("org/na--me"));
        assertFalse(ModelLocator.isRepoId("org/../x"));
        assertFalse(ModelLocator.isRepoId("/abs"));
        assertFalse(ModelLocator.isRepoId("org/name.git"));
    }

    @Test
    void hfHubOfflineAcceptsTheUsualTrueWords() {
        for (String v : List.of("1", "true", "TRUE", "yes", "on")) {
            assertTrue(locator(Map.of("HF_HUB_OFFLINE", v)).offline(), v);
        }
        for (String v : List.of("0", "false", "", "no")) {
            assertFalse(locator(Map.of("HF_HUB_OFFLINE", v)).offline(), v);
        }
    }
}
