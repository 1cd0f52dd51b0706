package io.driftguard.scan.hashing;

import io.driftguard.core.model.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;

/**
 * Hashes a blob as {@link HashingBody} does and, in the same pass, hands its bytes to a reader on
 * another thread (a layer's tar, a config's JSON), so that a blob is downloaded once for both.
 * The reader's stream ends where the hash stops; whatever the reader leaves is drained.
 */
public final class ReadingBody<T> implements HttpResponse.BodySubscriber<ReadingBody.Read<T>> {
    /** What the reader made of the bytes reads ({@code value}), or why it could not ({@code error}). */
    public record Read<T>(BlobCheck check, T value, String error) {
    }

    /** Reads a blob's bytes; may stop early. */
    public interface Reader<T> {
        T read(InputStream bytes) throws IOException;
    }

    private final Digest expected;
    private final long expectedSize;
    private final MessageDigest hasher;
    private final Reader<T> reader;
    private final Executor executor;
    private final CompletableFuture<BlobCheck> hashed = new CompletableFuture<>();
    private final CompletableFuture<Read<T>> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private BufferPipe pipe;
    private long total;
    private boolean done;

    public ReadingBody(Digest expected, long expectedSize, Reader<T> reader, Executor executor) {
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.hasher = expected.newHasher();
        this.reader = reader;
        this.executor = executor;
    }

    @Override
    public CompletionStage<Read<T>> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        pipe = new BufferPipe(() -> s.request(1));
        executor.execute(this::readAll);
        s.request(BufferPipe.AHEAD);
    }

    private void readAll() {
        T value = null;
        String error = null;
        try (InputStream in = pipe) {
            value = reader.read(in);
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException | RuntimeException e) {
            error = e.getMessage();
            try {
                pipe.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException broken) {
                // The download failed; the hash side reports that.
            }
        }
        T read = value;
        String problem = error;
        hashed.whenComplete((check, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(new Read<>(check, read, problem));
            }
        });
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (done) {
            return;
        }
        long limit = expectedSize + 1;
        List<ByteBuffer> forReader = new ArrayList<>(buffers.size());
        for (ByteBuffer buffer : buffers) {
            if (total + buffer.remaining() > limit) {
                buffer.limit(buffer.position() + (int) (limit - total));
            }
            total += buffer.remaining();
            forReader.add(buffer.duplicate());
            hasher.update(buffer);
            if (total >= limit) {
                done = true;
                subscription.cancel();
                pipe.offer(forReader);
                finish();
                return;
            }
        }
        pipe.offer(forReader);
    }

    @Override
    public void onError(Throwable error) {
        hashed.completeExceptionally(error);
        pipe.fail(error);
    }

    @Override
    public void onComplete() {
        if (!done) {
            finish();
        }
    }

    private void finish() {
        hashed.complete(new BlobCheck(expected, expectedSize, Digest.of(expected.algorithm(), hasher.digest()), total));
        pipe.end();
    }
}
