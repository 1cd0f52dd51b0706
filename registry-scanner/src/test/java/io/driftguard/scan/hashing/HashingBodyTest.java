package io.driftguard.scan.hashing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.model.Digest;
import io.driftguard.scan.registry.LimitedBody;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The body subscribers fed as the HTTP client feeds them: lists of buffers, then completion or a cancel. */
class HashingBodyTest {
    private static final byte[] CONTENT = "the quick brown fox jumps over the lazy dog".getBytes();

    @Test
    void hashesChunkedContentExactly() throws Exception {
        HashingBody body = new HashingBody(Digest.sha256(CONTENT), CONTENT.length);
        feed(body, 7);
        BlobCheck check = body.getBody().toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertThat(check.intact()).isTrue();
        assertThat(check.bytes()).isEqualTo(CONTENT.length);
    }

    @Test
    void stopsOneBytePastTheDescriptorsSize() throws Exception {
        HashingBody body = new HashingBody(Digest.sha256(CONTENT), 10);
        AtomicBoolean cancelled = feed(body, 4);
        BlobCheck check = body.getBody().toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertThat(check.bytes()).isEqualTo(11);
        assertThat(check.intact()).isFalse();
        assertThat(check.problem()).contains("more than the 10 bytes");
        assertThat(cancelled).isTrue();
    }

    @Test
    void reportsAlteredContent() throws Exception {
        byte[] altered = CONTENT.clone();
        altered[3] ^= 1;
        HashingBody body = new HashingBody(Digest.sha256(altered), CONTENT.length);
        feed(body, 100);
        BlobCheck check = body.getBody().toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertThat(check.problem()).isEqualTo("content hashes to " + Digest.sha256(CONTENT));
    }

    @Test
    void limitedBodyCutsOffAGrowingBody() {
        HttpResponse.BodySubscriber<byte[]> body = LimitedBody.handler(20).apply(info());
        AtomicBoolean cancelled = feed(body, 8);
        assertThatThrownBy(() -> body.getBody().toCompletableFuture().get(1, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(LimitedBody.TooLarge.class);
        assertThat(cancelled).isTrue();
    }

    /** Feeds CONTENT in chunks; returns whether the subscriber cancelled. */
    private static AtomicBoolean feed(Flow.Subscriber<List<ByteBuffer>> subscriber, int chunk) {
        AtomicBoolean cancelled = new AtomicBoolean();
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
                cancelled.set(true);
            }
        });
        for (int i = 0; i < CONTENT.length && !cancelled.get(); i += chunk) {
            subscriber.onNext(List.of(ByteBuffer.wrap(CONTENT, i, Math.min(chunk, CONTENT.length - i)).slice()));
        }
        if (!cancelled.get()) {
            subscriber.onComplete();
        }
        return cancelled;
    }

    private static HttpResponse.ResponseInfo info() {
        return new HttpResponse.ResponseInfo() {
            @Override
            public int statusCode() {
                return 200;
            }

            @Override
            public java.net.http.HttpHeaders headers() {
                return java.net.http.HttpHeaders.of(java.util.Map.of(), (a, b) -> true);
            }

            @Override
            public java.net.http.HttpClient.Version version() {
                return java.net.http.HttpClient.Version.HTTP_1_1;
            }
        };
    }
}
