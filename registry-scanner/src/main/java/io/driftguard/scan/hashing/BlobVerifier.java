package io.driftguard.scan.hashing;

import io.driftguard.scan.net.RegistryException;
import io.driftguard.scan.registry.BlobRequest;
import io.driftguard.scan.registry.Descriptor;
import io.driftguard.scan.registry.MediaTypes;
import io.driftguard.scan.registry.RegistryHttp;
import io.driftguard.scan.store.ScannerStore;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Re-hashes the blobs of one registry during one run. Each blob is fetched and hashed at most
 * once per run, however many tags share it: the first tag to need it hashes it and the others wait
 * for that answer. A blob verified in an earlier run is skipped unless the run is deep.
 */
public final class BlobVerifier {
    /** What became of one blob: skipped, checked, or not checkable (error says why). */
    public record Outcome(BlobCheck check, String error) {
        static final Outcome SKIPPED = new Outcome(null, null);

        public boolean tampered() {
            return check != null && !check.intact();
        }
    }

    private final RegistryHttp http;
    private final ScannerStore store;
    private final boolean deep;
    private final Clock clock;
    private final Map<String, CompletableFuture<Outcome>> thisRun = new ConcurrentHashMap<>();
    private final AtomicLong hashed = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();

    public BlobVerifier(RegistryHttp http, ScannerStore store, boolean deep, Clock clock) {
        this.http = http;
        this.store = store;
        this.deep = deep;
        this.clock = clock;
    }

    public Outcome verify(String repository, Descriptor blob) throws SQLException {
        if (MediaTypes.FOREIGN_LAYERS.contains(blob.mediaType())) {
            return Outcome.SKIPPED;
        }
        if (!deep && store.verified(http.name(), blob.digest())) {
            skipped.incrementAndGet();
            return Outcome.SKIPPED;
        }
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> first = thisRun.putIfAbsent(blob.digest() + "/" + blob.size(), mine);
        if (first != null) {
            return first.join();
        }
        // Completed whatever happens, so that tags waiting for this blob never hang.
        Outcome outcome = new Outcome(null, "blob " + blob.digest() + " could not be checked");
        try {
            outcome = hash(repository, blob);
            return outcome;
        } finally {
            mine.complete(outcome);
        }
    }

    private Outcome hash(String repository, Descriptor blob) throws SQLException {
        BlobCheck check;
        try {
            check = BlobRequest.get(http, repository, blob.digest(), info -> new HashingBody(blob.digest(), blob.size()));
        } catch (RegistryException e) {
            return new Outcome(null, e.getMessage());
        }
        hashed.incrementAndGet();
        bytes.addAndGet(check.bytes());
        if (check.intact()) {
            store.markVerified(http.name(), blob.digest(), blob.size(), clock.instant());
        } else {
            store.forgetVerified(http.name(), blob.digest());
        }
        return new Outcome(check, null);
    }

    /**
     * Downloads a blob whose content is needed, hashing it and handing its bytes to {@code reader}
     * in the same pass; the hash counts as this run's check of the blob, so it is not fetched again.
     * Null value and an error when the blob could not be fetched or read.
     */
    public <T> ReadingBody.Read<T> read(String repository, Descriptor blob, ReadingBody.Reader<T> reader, Executor executor)
            throws SQLException {
        ReadingBody.Read<T> read;
        try {
            read = BlobRequest.get(http, repository, blob.digest(),
                    info -> new ReadingBody<>(blob.digest(), blob.size(), reader, executor));
        } catch (RegistryException e) {
            return new ReadingBody.Read<>(null, null, e.getMessage());
        }
        hashed.incrementAndGet();
        bytes.addAndGet(read.check().bytes());
        if (read.check().intact()) {
            store.markVerified(http.name(), blob.digest(), blob.size(), clock.instant());
        } else {
            store.forgetVerified(http.name(), blob.digest());
        }
        thisRun.putIfAbsent(blob.digest() + "/" + blob.size(), CompletableFuture.completedFuture(new Outcome(read.check(), null)));
        return read;
    }

    public long hashedBlobs() {
        return hashed.get();
    }

    public long hashedBytes() {
        return bytes.get();
    }

    public long skippedBlobs() {
        return skipped.get();
    }
}
