package io.jtune.finetune.io.hub;

import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a download's 200 or 206 body into its {@code .incomplete} file as it arrives: from the
 * start on 200, appended on a 206 that starts where the file ends. A 206 for another range
 * truncates the file and fails, so the next try starts over. The bytes written stay in the file
 * whatever happens to the connection, which is what makes downloads resumable. Reports progress
 * about every megabyte.
 */
final class IncompleteFileSubscriber implements BodySubscriber<Long> {
    private static final long REPORT_EVERY = 1 << 20;

    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private final String file;
    private final DownloadListener listener;
    private final long expected;
    private final AtomicLong activity;
    private final FileChannel channel;
    private long done;
    private long reported;
    private Flow.Subscription subscription;

    /**
     * @param start the first byte of the body: 0 for a 200, the Content-Range start for a 206 (-1 if unreadable)
     * @param have the bytes already in {@code incomplete}, which a 206 must start at
     * @param activity set to the time of every arrival, for the caller's idle timeout
     */
    IncompleteFileSubscriber(Path incomplete, long start, long have, long expected, String file, AtomicLong activity,
            DownloadListener listener) {
        this.file = file;
        this.listener = listener;
        this.expected = expected;
        this.activity = activity;
        FileChannel ch = null;
        try {
            if (start != 0 && start != have) {
                // A 206 for another range than asked: start over on the next try.
                HubCache.truncate(incomplete);
                throw new IOException("the server answered a range starting at byte " + start + ", not " + have);
            }
            ch = start == 0
                    ? FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)
                    : FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND);
            done = start;
            reported = start;
            listener.progress(file, done, expected);
        } catch (IOException e) {
            result.completeExceptionally(e);
        }
        this.channel = ch;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (channel == null) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        activity.set(System.nanoTime());
        try {
            for (ByteBuffer item : items) {
                while (item.hasRemaining()) {
                    done += channel.write(item);
                }
            }
            if (done - reported >= REPORT_EVERY) {
                reported = done;
                listener.progress(file, done, expected);
            }
            subscription.request(1);
        } catch (IOException e) {
            subscription.cancel();
            result.completeExceptionally(e);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(done);
    }

    @Override
    public CompletionStage<Long> getBody() {
        return result;
    }

    void closeChannel() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
