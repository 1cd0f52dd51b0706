package io.driftguard.daemon.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.EventQuery;
import io.driftguard.core.store.EventStore;
import io.driftguard.core.testing.ReleasedStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineStoreTest {
    private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");
    private static final Digest IMAGE = Digest.parse(ReleasedStore.IMAGE);

    @TempDir
    Path tmp;

    @Test
    void baselinesAndProfilesOfTheReleasedStoreAreReadAndKeptUp() throws Exception {
        Path file = ReleasedStore.copyTo(tmp);
        try (BaselineStore store = BaselineStore.open(file)) {
            ImageBaseline baseline = store.load(IMAGE).orElseThrow();
            assertThat(baseline.imageRef()).isEqualTo("nginx:1.27");
            assertThat(baseline.builtAt()).isEqualTo(T);
            assertThat(baseline.buildMillis()).isEqualTo(321);
            assertThat(baseline.files()).containsOnlyKeys("/usr/sbin/nginx", "/etc/nginx/nginx.conf");
            assertThat(baseline.file("/usr/sbin/nginx")).isEqualTo(new BaselineFile("/usr/sbin/nginx", "66".repeat(32), 1_234_567,
                    0100755, 0, 0, 1_700_000_000_123_456_789L, 1_700_000_001_000_000_000L));
            assertThat(store.profileState(IMAGE))
                    .contains(new ProfileState(IMAGE, "nginx:1.27", T, T.plusSeconds(3600), null));
            assertThat(store.profileEntries(IMAGE)).containsExactly(
                    new ProfileEntry("/bin/sh", null, "sh", "/usr/sbin/nginx", 33, T.plusSeconds(3)),
                    new ProfileEntry("/usr/sbin/nginx", "66".repeat(32), "nginx", "/usr/bin/dumb-init", 0, T.plusSeconds(2)));
            assertThat(store.imageIdsFor("nginx:1.27")).containsExactly(IMAGE);

            // A known entry is kept as first seen; learning state is replaced; a new baseline replaces the old.
            store.addProfileEntries(IMAGE, List.of(
                    new ProfileEntry("/bin/sh", "88".repeat(32), "sh", "/usr/sbin/nginx", 33, T.plusSeconds(99)),
                    new ProfileEntry("/bin/ls", null, "ls", "/bin/sh", 33, T.plusSeconds(99))));
            store.saveProfileState(new ProfileState(IMAGE, "nginx:1.27", T, null, 10L));
            store.save(new ImageBaseline(IMAGE, "nginx:1.27", Map.of(), T.plusSeconds(60), 5));
        }
        try (BaselineStore store = BaselineStore.open(file)) {
            assertThat(store.profileEntries(IMAGE)).extracting(ProfileEntry::path, ProfileEntry::firstSeen)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("/bin/ls", T.plusSeconds(99)),
                            org.assertj.core.groups.Tuple.tuple("/bin/sh", T.plusSeconds(3)),
                            org.assertj.core.groups.Tuple.tuple("/usr/sbin/nginx", T.plusSeconds(2)));
            assertThat(store.profileState(IMAGE).orElseThrow().learnCount()).isEqualTo(10L);
            assertThat(store.load(IMAGE).orElseThrow().files()).isEmpty();
            store.resetProfile(IMAGE);
            store.forgetBaseline(IMAGE);
            assertThat(store.imageIdsFor("nginx:1.27")).isEmpty();
        }
    }

    @Test
    void aStoredImageIdThatIsNoDigestIsAClearError() throws Exception {
        Path file = tmp.resolve("bad.db");
        try (BaselineStore store = BaselineStore.open(file); Database db = Database.open(file);
             java.sql.Connection c = db.connection(); java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO baseline_image(image_id, image_ref, built_at_ms, build_ms, files) VALUES('latest', 'web:1', 0, 0, 0)");
            assertThatThrownBy(() -> store.imageIdsFor("web:1")).isInstanceOf(java.sql.SQLException.class)
                    .hasMessageContaining("image_id 'latest' is not an image id");
        }
    }

    /** The daemon's two writers (events, profiles) each have their own store on one file. */
    @Test
    void eventAndProfileWritersWorkAtOnce() throws Exception {
        Path file = tmp.resolve("state/driftguard.db");
        CyclicBarrier start = new CyclicBarrier(2);
        try (Database events = Database.open(file); BaselineStore baselines = BaselineStore.open(file)) {
            EventStore eventStore = new EventStore(events, "host-a");
            CompletableFuture<Void> eventWriter = CompletableFuture.runAsync(() -> run(() -> {
                start.await();
                for (int i = 0; i < 200; i++) {
                    eventStore.accept(Event.builder(EventKind.PROCESS, EventAction.ALERTED, Severity.LOW).message("e" + i).build());
                }
            }));
            CompletableFuture<Void> profileWriter = CompletableFuture.runAsync(() -> run(() -> {
                start.await();
                for (int i = 0; i < 200; i++) {
                    baselines.addProfileEntries(IMAGE, List.of(new ProfileEntry("/bin/p" + i, null, "p", "/bin/sh", 0, T)));
                }
            }));
            CompletableFuture.allOf(eventWriter, profileWriter).get();
            assertThat(eventStore.find(new EventQuery(null, null, null, 1000))).hasSize(200);
            assertThat(baselines.profileEntries(IMAGE)).hasSize(200);
        }
    }

    private interface Work {
        void run() throws Exception;
    }

    private static void run(Work work) {
        try {
            work.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
