package io.driftguard.scan.hashing;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.model.Digest;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A blob read and hashed in one pass, fed only as fast as the subscriber asks. */
class ReadingBodyTest {
    @Test
    void readsEveryByteWithAFewBatchesAheadOfTheReader() throws Exception {
        byte[] content = new byte[64 * 1024];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Semaphore readerMayGo = new Semaphore(0);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            ReadingBody<Long> body = new ReadingBody<>(Digest.sha256(content), content.length, in -> {
                readerMayGo.acquireUninterruptibly();
                return (long) in.readAllBytes().length;
            }, executor);
            AtomicLong requested = new AtomicLong();
            body.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    requested.addAndGet(n);
                }

                @Override
                public void cancel() {
                }
            });
            // The reader has not read anything yet: the client may send only the batches asked for ahead.
            assertThat(requested.get()).isEqualTo(BufferPipe.AHEAD);
            int chunk = 1024;
            int sent = 0;
            for (int off = 0; off < content.length; off += chunk) {
                while (requested.get() <= sent) {
                    readerMayGo.release();
                    Thread.sleep(1);
                }
                body.onNext(List.of(ByteBuffer.wrap(content, off, chunk).slice()));
                sent++;
            }
            body.onComplete();
            readerMayGo.release(1000);
            ReadingBody.Read<Long> read = body.getBody().toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertThat(read.check().intact()).isTrue();
            assertThat(read.value()).isEqualTo(content.length);
            assertThat(read.error()).isNull();
        } finally {
            executor.shutdownNow();
        }
    }
}
