package io.jtune.finetune.io.hub;

/**
 * Hears how a download from the Hugging Face Hub advances. {@link HubDownloader} calls it when a
 * file starts (with the bytes already there from an earlier, interrupted try), about every
 * megabyte, and when the file is complete; a file found complete in the cache is reported once,
 * done. Calls may come from the HTTP client's threads, one file at a time.
 */
@FunctionalInterface
public interface DownloadListener {
    /** Hears nothing. */
    DownloadListener NONE = (file, bytesDone, bytesTotal) -> { };

    /**
     * @param file the file's path in the repository, such as {@code model-00001-of-00002.safetensors}
     * @param bytesDone bytes of it on disk so far
     * @param bytesTotal its size, or -1 when the server did not say
     */
    void progress(String file, long bytesDone, long bytesTotal);
}
