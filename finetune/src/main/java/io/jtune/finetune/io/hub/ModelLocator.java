package io.jtune.finetune.io.hub;

import io.jtune.finetune.io.safetensors.ShardedSafetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves a model reference to a local folder holding its config, tokenizer and safetensors
 * weights.
 *
 * <p>In order:
 *
 * <ol>
 *   <li>an existing local folder (absolute, relative to the working directory, or starting with
 *       {@code ~/}) is returned as it is;
 *   <li>a Hub repository id ({@code ORG/NAME} or {@code NAME}) is looked up in the Hugging Face cache,
 *       the folder {@code HF_HUB_CACHE}, else {@code HF_HOME/hub}, else
 *       {@code XDG_CACHE_HOME/huggingface/hub}, else {@code ~/.cache/huggingface/hub}: the entry
 *       {@code models--ORG--NAME/refs/REVISION} holds a commit hash and the files are under
 *       {@code snapshots/COMMIT/}; a revision that is itself a folder under {@code snapshots/} (a
 *       commit hash) is accepted too. A snapshot counts only when it is complete: it has
 *       {@link HubDownloader#REQUIRED_FILES} and {@code model.safetensors}, or
 *       {@code model.safetensors.index.json} and every shard it names. A complete snapshot is
 *       returned without any network request;
 *   <li>otherwise, unless {@code HF_HUB_OFFLINE} is true ({@code 1}, {@code true}, {@code yes},
 *       {@code on}), the model is downloaded into the cache with {@link HubDownloader} and its
 *       snapshot folder returned. In offline mode a {@link ModelNotFoundException} says the model
 *       is not (completely) in the cache, that offline mode is on, and where it looked.
 * </ol>
 *
 * <p>The environment and the home folder are passed in, so tests and callers decide what the
 * locator sees; {@link #fromEnvironment} uses the process's.
 */
public final class ModelLocator {
    public static final String DEFAULT_REVISION = "main";

    private static final Pattern REPO_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final Pattern COMMIT = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Set<String> TRUE = Set.of("1", "true", "yes", "on");

    private final Map<String, String> env;
    private final Path home;
    private final HubDownloader downloader;

    /**
     * @param env the environment variables to honour (HF_HUB_CACHE, HF_HOME, XDG_CACHE_HOME,
     *     HF_HUB_OFFLINE; the downloader has its own HF_ENDPOINT and HF_TOKEN)
     * @param homeDir the user's home folder, for {@code ~}
     * @param downloader fetches models that are not in the cache
     */
    public ModelLocator(Map<String, String> env, Path homeDir, HubDownloader downloader) {
        this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
        this.home = Objects.requireNonNull(homeDir, "homeDir");
        this.downloader = Objects.requireNonNull(downloader, "downloader");
    }

    /** A locator for this process's environment and home folder. */
    public static ModelLocator fromEnvironment(DownloadListener listener) {
        Map<String, String> env = System.getenv();
        return new ModelLocator(env, Path.of(System.getProperty("user.home")),
                HubDownloader.fromEnvironment(env, listener));
    }

    /** The Hugging Face hub cache folder this locator uses. */
    public Path hubCache() {
        String cache = get("HF_HUB_CACHE");
        if (cache != null) {
            return expand(cache);
        }
        String hfHome = get("HF_HOME");
        if (hfHome != null) {
            return expand(hfHome).resolve("hub");
        }
        String xdg = get("XDG_CACHE_HOME");
        if (xdg != null) {
            return expand(xdg).resolve("huggingface").resolve("hub");
        }
        return home.resolve(".cache").resolve("huggingface").resolve("hub");
    }

    private String hubCacheSource() {
        if (get("HF_HUB_CACHE") != null) {
            return "HF_HUB_CACHE";
        }
        if (get("HF_HOME") != null) {
            return "HF_HOME/hub";
        }
        if (get("XDG_CACHE_HOME") != null) {
            return "XDG_CACHE_HOME/huggingface/hub";
        }
        return "the default, ~/.cache/huggingface/hub";
    }

    /** Whether HF_HUB_OFFLINE forbids downloads. */
    public boolean offline() {
        String v = get("HF_HUB_OFFLINE");
        return v != null && TRUE.contains(v.strip().toLowerCase(Locale.ROOT));
    }

    /** The name of the built-in base model ({@link io.jtune.finetune.base.BuiltinBase}), where no folder of that name exists. */
    public static final String BUILTIN_BASE = "base";

    /** {@link #locate(String, String)} at revision {@value #DEFAULT_REVISION}. */

    public Path locate(String reference) throws IOException {
        return locate(reference, DEFAULT_REVISION);
    }

    /**
     * The local folder for {@code reference}: a folder, a cached snapshot, or a fresh download
     * (see the class description).
     *
     * @param revision a branch, tag or commit hash; ignored for a local folder
     */
    public Path locate(String reference, String revision) throws IOException {
        String ref = Objects.requireNonNull(reference, "reference").strip();
        String rev = revision == null || revision.isBlank() ? DEFAULT_REVISION : revision.strip();
        Path local = localPath(ref);
        if (local != null && Files.isDirectory(local)) {
            return local.toAbsolutePath().normalize();
        }
        if (local != null && Files.exists(local)) {
            throw new ModelNotFoundException("'" + ref + "' is a file, not a model folder");
        }
        if (ref.equals(BUILTIN_BASE)) {
            return io.jtune.finetune.base.BuiltinBase.find().map(p -> p.toAbsolutePath().normalize())
                    .orElseThrow(() -> new ModelNotFoundException(io.jtune.finetune.base.BuiltinBase.notFound()));
        }
        if (looksLikePath(ref)) {
            throw new ModelNotFoundException("model folder '" + ref + "' does not exist"
                    + (local != null ? " (" + local.toAbsolutePath().normalize() + ")" : ""));
        }
        if (!isRepoId(ref)) {
            throw new ModelNotFoundException("'" + ref + "' is neither a local folder nor a Hugging Face repo id"
                    + " (ORG/NAME, such as 'Qwen/Qwen2.5-0.5B')");
        }
        Path cache = hubCache();
        Path repoDir = HubDownloader.repoFolder(cache, ref);
        Optional<Path> snapshot = snapshotFolder(repoDir, rev);
        List<String> missing = snapshot.isPresent() ? missingFiles(snapshot.get()) : List.of();
        if (snapshot.isPresent() && missing.isEmpty()) {
            return snapshot.get();
        }
        if (offline()) {
            String state = snapshot.isEmpty()
                    ? "is not in the Hugging Face cache"
                    : "is only partly in the Hugging Face cache (" + repoDir.relativize(snapshot.get()) + " lacks "
                            + String.join(", ", missing) + ")";
            throw new ModelNotFoundException("model '" + ref + "' (revision '" + rev + "') " + state
                    + " and offline mode is on (HF_HUB_OFFLINE=" + get("HF_HUB_OFFLINE") + "); looked in " + repoDir
                    + " (the cache from " + hubCacheSource() + "), and '" + ref + "' is not a local folder either."
                    + " Download it while online, or point to a local folder.");
        }
        return downloader.downloadModel(ref, rev, cache);
    }

    /** The complete cached snapshot of {@code repoId} at {@code revision}, if there is one; makes no request. */
    public Optional<Path> findInCache(String repoId, String revision) throws IOException {
        if (!isRepoId(repoId)) {
            return Optional.empty();
        }
        Optional<Path> snapshot = snapshotFolder(HubDownloader.repoFolder(hubCache(), repoId), revision);
        return snapshot.isPresent() && missingFiles(snapshot.get()).isEmpty() ? snapshot : Optional.empty();
    }

    /** Whether {@code s} has the form of a Hub repository id: {@code NAME} or {@code ORG/NAME}. */
    public static boolean isRepoId(String s) {
        String[] parts = s.split("/", -1);
        if (parts.length > 2 || s.contains("--") || s.contains("..") || s.endsWith(".git")) {
            return false;
        }
        for (String part : parts) {
            if (!REPO_PART.matcher(part).matches()) {
                return false;
            }
        }
        return true;
    }

    private Optional<Path> snapshotFolder(Path repoDir, String revision) throws IOException {
        if (revision.contains("..") || revision.startsWith("/") || revision.contains("\\")) {
            throw new ModelNotFoundException("'" + revision + "' is not a valid revision");
        }
        Path ref = repoDir.resolve("refs").resolve(revision);
        if (Files.isRegularFile(ref)) {
            String commit = Files.readString(ref).strip();
            if (COMMIT.matcher(commit).matches()) {
                Path snapshot = repoDir.resolve("snapshots").resolve(commit);
                if (Files.isDirectory(snapshot)) {
                    return Optional.of(snapshot);
                }
            }
        }
        if (COMMIT.matcher(revision).matches()) {
            Path snapshot = repoDir.resolve("snapshots").resolve(revision);
            if (Files.isDirectory(snapshot)) {
                return Optional.of(snapshot);
            }
        }
        return Optional.empty();
    }

    /** The files a complete snapshot has and this one lacks (a link to a missing blob counts as missing). */
    static List<String> missingFiles(Path snapshot) throws IOException {
        List<String> missing = new ArrayList<>();
        for (String file : HubDownloader.REQUIRED_FILES) {
            if (!Files.isRegularFile(snapshot.resolve(file))) {
                missing.add(file);
            }
        }
        if (!Files.isRegularFile(snapshot.resolve(ShardedSafetensors.SINGLE_FILE))) {
            Path index = snapshot.resolve(ShardedSafetensors.INDEX_FILE);
            if (!Files.isRegularFile(index)) {
                missing.add(ShardedSafetensors.SINGLE_FILE + " (or " + ShardedSafetensors.INDEX_FILE + ")");
            } else {
                for (String shard : ShardedSafetensors.shardNames(index)) {
                    if (!Files.isRegularFile(snapshot.resolve(shard))) {
                        missing.add(shard);
                    }
                }
            }
        }
        return missing;
    }

    private Path localPath(String ref) {
        try {
            return expand(ref);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private Path expand(String path) {
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/")) {
            return home.resolve(path.substring(2));
        }
        return Path.of(path);
    }

    private static boolean looksLikePath(String ref) {
        return ref.startsWith("/") || ref.startsWith("./") || ref.startsWith("../") || ref.startsWith("~")
                || ref.endsWith("/") || ref.contains("\\") || ref.equals(".") || ref.equals("..");
    }

    private String get(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
