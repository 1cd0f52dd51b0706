package io.driftguard.scan.hashing;

import io.driftguard.core.model.Digest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Hashes a blob's body as the HTTP client delivers it, buffer by buffer, without copying it into
 * a stream first (that copy halved the throughput). Stops one byte past the descriptor's size:
 * enough to tell that a blob is too long.
 */
public final class HashingBody implements HttpResponse.BodySubscriber<BlobCheck> {
    private final Digest expected;
    private final long expectedSize;
    private final MessageDigest hasher;
    private final CompletableFuture<BlobCheck> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long total;
    private boolean done;

    public HashingBody(Digest expected, long expectedSize) {
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.hasher = expected.newHasher();
    }

    @Override
    public CompletionStage<BlobCheck> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (done) {
            return;
        }
        long limit = expectedSize + 1;
        for (ByteBuffer buffer : buffers) {
            if (total + buffer.remaining() > limit) {
                buffer.limit(buffer.position() + (int) (limit - total));
            }
            total += buffer.remaining();
            hasher.update(buffer);
            if (total >= limit) {
                done = true;
                subscription.cancel();
                finish();
                return;
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        if (!done) {
            finish();
        }
    }

    private void finish() {
        result.complete(new BlobCheck(expected, expectedSize, Digest.of(expected.algorithm(), hasher.digest()), total));
    }
}
