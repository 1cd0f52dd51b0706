package io.driftguard.scan.registry;

import io.driftguard.scan.net.RegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a whole body of at most {@code limit} bytes: a larger Content-Length is refused before
 * reading, and a body that grows past the limit is cut off, so no registry can make the scanner
 * hold more than the limit in memory.
 */
public final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    /** The body was over the limit; not worth a retry. */
    public static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    private final long limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private LimitedBody(long limit) {
        this.limit = limit;
    }

    public static HttpResponse.BodyHandler<byte[]> handler(long limit) {
        return info -> {
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > limit) {
                return HttpResponse.BodySubscribers.replacing(null);
            }
            return new LimitedBody(limit);
        };
    }

    /**
     * The body of a 200 answer read through {@link #handler}, or an error when it was over the
     * limit (a null body: the Content-Length was too large).
     */
    public static byte[] of(HttpResponse<byte[]> response, long limit) throws RegistryException {
        if (response.body() == null) {
            throw new RegistryException(response.uri() + " sent "
                    + response.headers().firstValueAsLong("Content-Length").orElse(-1) + " bytes, more than the limit of " + limit);
        }
        return response.body();
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            if (bytes.size() + (long) buffer.remaining() > limit) {
                subscription.cancel();
                result.completeExceptionally(new TooLarge("sent more than the limit of " + limit + " bytes"));
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.writeBytes(chunk);
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(bytes.toByteArray());
    }
}
