package io.driftguard.daemon.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.StoreSettings;
import io.driftguard.daemon.baseline.BaselineStore;
import io.driftguard.daemon.baseline.ProfileEntry;
import io.driftguard.daemon.baseline.ProfileState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host receives another host's profile of an image (after a NOTIFY, the re-read) just as its own
 * recorder writes what it learnt of that image, in the window between the write and the mark that
 * says it is to be sent. The received copy must not replace what the recorder wrote, and what it
 * wrote must still be sent.
 */
class ProfileReceiveRaceTest {
    private static final Digest IMAGE = Digest.parse("sha256:" + "ab".repeat(32));
    private static final Instant T = Instant.parse("2026-12-02T03:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void aProfileReceivedWhileTheRecorderWritesLeavesWhatItLearntAndSendsIt() throws Exception {
        Path cacheFile = tmp.resolve("driftguard.db");
        try (Database central = Database.open(tmp.resolve("shared.db")); Database local = Database.open(cacheFile)) {
            local.migrate("fleetcache");
            BaselineStore shared = BaselineStore.on(central);
            shared.saveProfileState(new ProfileState(IMAGE, "web:1", T, T.plusSeconds(15), null));
            shared.addProfileEntries(IMAGE, List.of(entry("/bin/bash")));
            PendingImages pending = new PendingImages(local);
            BaselineSync sync = new BaselineSync(BaselineStore.on(local), pending);
            AtomicInteger calls = new AtomicInteger();
            // The daemon's recorder: its own connection to the cache file, marking each image it writes.
            try (BaselineStore recorder = BaselineStore.open(new StoreSettings.Sqlite(cacheFile), image -> {
                try {
                    if (calls.incrementAndGet() == 2) {
                        // Written, not yet marked again: the link re-reads the shared store now.
                        sync.receive(shared);
                    }
                    pending.mark(image);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            })) {
                recorder.addProfileEntries(IMAGE, List.of(entry("/usr/bin/cat")));
                assertThat(calls).hasValue(2);
                assertThat(recorder.profileEntries(IMAGE)).extracting(ProfileEntry::path).as("what the recorder wrote stays")
                        .contains("/usr/bin/cat");
            }
            assertThat(pending.all()).containsKey(IMAGE);
            sync.send(shared);
            assertThat(shared.profileEntries(IMAGE)).extracting(ProfileEntry::path).containsExactly("/bin/bash", "/usr/bin/cat");
            assertThat(pending.all()).isEmpty();
            sync.receive(shared);
            BaselineStore cache = BaselineStore.on(local);
            assertThat(cache.profileEntries(IMAGE)).extracting(ProfileEntry::path).containsExactly("/bin/bash", "/usr/bin/cat");
            assertThat(cache.profileState(IMAGE)).map(ProfileState::learnUntil).contains(T.plusSeconds(15));
        }
    }

    private static ProfileEntry entry(String path) {
        return new ProfileEntry(path, "77".repeat(32), path.substring(path.lastIndexOf('/') + 1), "/bin/sh", 0, T);
    }
}
