package io.driftguard.scan.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Approvals;
import io.driftguard.core.store.Database;
import io.driftguard.core.testing.ReleasedStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScannerStoreTest {
    private static final TagKey TAG = new TagKey("127.0.0.1:5000", "team/app", "1");
    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void historyOfTheReleasedStoreIsReadAndKeptUp() throws Exception {
        Path file = ReleasedStore.copyTo(tmp);
        try (Database db = Database.open(file)) {
            ScannerStore store = new ScannerStore(db);
            assertThat(store.state(TAG)).isEqualTo(new TagState(Optional.of(digest("22")), Optional.of(digest("11"))));
            assertThat(store.history(TAG)).containsExactly(
                    new DigestRecord(digest("11"), "application/vnd.oci.image.index.v1+json", T, T, false, true),
                    new DigestRecord(digest("22"), "application/vnd.oci.image.manifest.v1+json", T.plusSeconds(3600),
                            T.plusSeconds(3600), true, false));
            assertThat(store.tags()).singleElement().satisfies(t -> {
                assertThat(t.key()).isEqualTo(TAG);
                assertThat(t.current()).contains(digest("22"));
                assertThat(t.approved()).contains(digest("11"));
                // A release before approvals recorded who and until when: nobody named, no expiry.
                assertThat(t.approval().orElseThrow().by()).isEmpty();
                assertThat(t.approval().orElseThrow().expires()).isEmpty();
                assertThat(t.lastSeen()).isEqualTo(T.plusSeconds(3600));
                assertThat(t.drift()).isEmpty();
            });
            assertThat(store.platforms("127.0.0.1:5000", "team/app", digest("11")))
                    .containsExactly(Map.entry("linux/amd64", digest("33")), Map.entry("linux/arm64", digest("44")));
            assertThat(store.verified("127.0.0.1:5000", digest("55"))).isTrue();
            assertThat(store.lastRun()).contains(new RunRecord(1, T, Optional.of(T.plusSeconds(5)), 1, 1, 0, 0));

            // Writes after the upgrade: the upserts update rows the release wrote.
            store.recordSeen(TAG, digest("11"), "application/vnd.oci.image.index.v1+json", T.plusSeconds(7200));
            store.markVerified("127.0.0.1:5000", digest("55"), 1234, T.plusSeconds(7200));
            store.savePlatforms("127.0.0.1:5000", "team/app", digest("11"), Map.of("linux/amd64", digest("66")));
            long run = store.startRun(T.plusSeconds(7200));
            assertThat(run).isEqualTo(2);
        }
        try (Database db = Database.open(file)) {
            ScannerStore store = new ScannerStore(db);
            assertThat(store.history(TAG)).extracting(DigestRecord::digest).containsExactly(digest("11"), digest("22"));
            assertThat(store.history(TAG).get(0).lastSeen()).isEqualTo(T.plusSeconds(7200));
            assertThat(store.state(TAG).current()).contains(digest("11"));
            assertThat(store.platforms("127.0.0.1:5000", "team/app", digest("11"))).containsEntry("linux/amd64", digest("66"));
            assertThat(store.lastRun()).map(RunRecord::id).contains(2L);
        }
    }

    @Test
    void digestsFirstSeenAtOneInstantKeepTheirOrder() throws Exception {
        try (Database db = Database.open(tmp.resolve("new.db"))) {
            ScannerStore store = new ScannerStore(db);
            store.recordSeen(TAG, digest("99"), null, T);
            store.recordSeen(TAG, digest("11"), null, T);
            assertThat(store.history(TAG)).extracting(DigestRecord::digest).containsExactly(digest("99"), digest("11"));
        }
    }

    @Test
    void aRepositorysStatesAreReadAtOnceAndStillSeenTagsAreWrittenInOneBatch() throws Exception {
        TagKey other = new TagKey(TAG.registry(), TAG.repository(), "2");
        TagKey elsewhere = new TagKey(TAG.registry(), "team/other", "1");
        try (Database db = Database.open(tmp.resolve("batch.db"))) {
            ScannerStore store = new ScannerStore(db);
            store.recordSeen(TAG, digest("11"), "m", T);
            store.recordSeen(TAG, digest("22"), "m", T.plusSeconds(60));
            store.recordSeen(other, digest("33"), "m", T);
            store.recordSeen(elsewhere, digest("44"), "m", T);
            store.approve(other, new Approval(digest("11"), T, Optional.of("ops"), Optional.empty()));
            store.openTamper(TAG, "blob", T);

            assertThat(store.states(TAG.registry(), TAG.repository())).containsOnly(
                    Map.entry("1", store.state(TAG)), Map.entry("2", store.state(other)));
            assertThat(store.states(TAG.registry(), TAG.repository()).get("2").approved()).contains(digest("11"));
            assertThat(store.states(TAG.registry(), TAG.repository()).get("1").tamperOpen()).isTrue();

            store.recordStillSeen(java.util.List.of(TAG, other, new TagKey(TAG.registry(), TAG.repository(), "never-seen")),
                    T.plusSeconds(600));
            // Only the current digest's row moves; the tag's earlier digest keeps its time.
            assertThat(store.history(TAG)).extracting(DigestRecord::digest, DigestRecord::lastSeen)
                    .containsExactly(tuple(digest("11"), T), tuple(digest("22"), T.plusSeconds(600)));
            assertThat(store.history(other)).extracting(DigestRecord::lastSeen).containsExactly(T.plusSeconds(600));
            assertThat(store.history(elsewhere)).extracting(DigestRecord::lastSeen).containsExactly(T);
        }
    }

    @Test
    void aTagSeenAgainAtItsDigestMovesOnlyItsLastSeenTimeAndAMoveBackIsRecorded() throws Exception {
        try (Database db = Database.open(tmp.resolve("seen.db"))) {
            ScannerStore store = new ScannerStore(db);
            store.recordSeen(TAG, digest("11"), "m", T);
            store.recordSeen(TAG, digest("11"), "m", T.plusSeconds(60));
            store.recordSeen(TAG, digest("22"), "m", T.plusSeconds(120));
            // Back to a digest it had: the history row exists, but the tag's current digest must move too.
            store.recordSeen(TAG, digest("11"), "m", T.plusSeconds(180));
            assertThat(store.state(TAG).current()).contains(digest("11"));
            assertThat(store.history(TAG)).extracting(DigestRecord::digest, DigestRecord::firstSeen, DigestRecord::lastSeen)
                    .containsExactly(tuple(digest("11"), T, T.plusSeconds(180)),
                            tuple(digest("22"), T.plusSeconds(120), T.plusSeconds(120)));
        }
    }

    @Test
    void theTagStateSaysWhetherTamperIsOpen() throws Exception {
        try (Database db = Database.open(tmp.resolve("tamper.db"))) {
            ScannerStore store = new ScannerStore(db);
            store.recordSeen(TAG, digest("11"), null, T);
            assertThat(store.state(TAG).tamperOpen()).isFalse();
            store.openTamper(TAG, "blob x", T);
            assertThat(store.state(TAG).tamperOpen()).isTrue();
            store.closeTamper(TAG);
            assertThat(store.state(TAG).tamperOpen()).isFalse();
        }
    }

    @Test
    void anApprovalRecordsWhoAndCountsUntilItExpires() throws Exception {
        MutableClock clock = new MutableClock(T);
        try (Database db = Database.open(tmp.resolve("expiry.db"))) {
            ScannerStore store = new ScannerStore(db, clock);
            store.recordSeen(TAG, digest("11"), null, T);
            store.approve(TAG, new Approval(digest("11"), T, Optional.of("alice"), Optional.of(T.plusSeconds(60))));
            Approvals admission = new Approvals(db, "registry_tags", clock);

            assertThat(store.state(TAG).approved()).contains(digest("11"));
            assertThat(store.tags()).singleElement().satisfies(t -> {
                assertThat(t.approved()).contains(digest("11"));
                assertThat(t.approval()).contains(new Approval(digest("11"), T, Optional.of("alice"), Optional.of(T.plusSeconds(60))));
                assertThat(t.approvalExpired()).isFalse();
            });
            assertThat(admission.approved(TAG.registry(), TAG.repository(), TAG.tag())).contains(digest("11"));
            assertThat(admission.approvedForSomeTag(TAG.registry(), TAG.repository(), digest("11"))).isTrue();

            clock.now = T.plusSeconds(60);
            assertThat(store.state(TAG).approved()).as("expired: as if never approved").isEmpty();
            assertThat(store.history(TAG)).singleElement().satisfies(r -> assertThat(r.approved()).isFalse());
            assertThat(store.tags()).singleElement().satisfies(t -> {
                assertThat(t.approved()).isEmpty();
                assertThat(t.approvalExpired()).isTrue();
                assertThat(t.approval().orElseThrow().by()).contains("alice");
            });
            assertThat(admission.approved(TAG.registry(), TAG.repository(), TAG.tag())).isEmpty();
            assertThat(admission.approvedForSomeTag(TAG.registry(), TAG.repository(), digest("11"))).isFalse();

            store.approve(TAG, new Approval(digest("11"), T.plusSeconds(61), Optional.of("bob"), Optional.empty()));
            assertThat(admission.approved(TAG.registry(), TAG.repository(), TAG.tag())).as("approved again, for good").contains(digest("11"));
        }
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static Digest digest(String pair) {
        return Digest.parse("sha256:" + pair.repeat(32));
    }
}
