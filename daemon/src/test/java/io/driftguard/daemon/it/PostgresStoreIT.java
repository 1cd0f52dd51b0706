package io.driftguard.daemon.it;

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
import io.driftguard.core.store.StoreSettings;
import io.driftguard.core.testing.PostgresCluster;
import io.driftguard.daemon.app.DaemonConfig;
import io.driftguard.daemon.baseline.BaselineFile;
import io.driftguard.daemon.baseline.BaselineStore;
import io.driftguard.daemon.baseline.ImageBaseline;
import io.driftguard.daemon.baseline.ProfileEntry;
import io.driftguard.daemon.baseline.ProfileState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts' daemons configured with one {@code [store] url}, against a real PostgreSQL cluster on
 * 127.0.0.1: what one host stores, the other reads.
 */
class PostgresStoreIT {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
    private static final Digest IMAGE = Digest.parse("sha256:" + "ab".repeat(32));

    private static PostgresCluster cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = PostgresCluster.start();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void eventsAndProfilesOfOneHostAreSeenByTheOther() throws Exception {
        DaemonConfig configA = host("a", "");
        DaemonConfig configB = host("b", "");
        StoreSettings hostA = configA.store();
        StoreSettings hostB = configB.store();
        assertThat(configA.hostId()).isEqualTo("host-a");
        assertThat(hostA).isInstanceOf(StoreSettings.Postgres.class);
        try (Database a = Database.open(hostA); Database b = Database.open(hostB)) {
            EventStore eventsA = new EventStore(a, configA.hostId());
            EventStore eventsB = new EventStore(b, configB.hostId());
            eventsA.accept(event("host-a", "web-1", T));
            eventsB.accept(event("host-b", "web-2", T.plusSeconds(1)));
            assertThat(eventsB.find(new EventQuery(null, null, null, 10, true))).extracting(Event::host)
                    .containsExactly("host-a", "host-b");
            assertThat(eventsB.find(new EventQuery(null, null, null, 10))).extracting(Event::host).containsExactly("host-b");
            assertThat(eventsA.find(new EventQuery(null, "web-2", EventKind.PROCESS, 10, true))).hasSize(1);
            assertThat(eventsA.find(new EventQuery(null, "web-2", EventKind.PROCESS, 10))).isEmpty();

            // events --follow on a shared store: host b's new event reaches host a's follower once.
            io.driftguard.core.store.EventFollower follower = new io.driftguard.core.store.EventFollower(eventsA,
                    new EventQuery(null, null, null, 1, true), eventsA.lastId());
            eventsB.accept(event("host-b", "web-3", T.plusSeconds(2)));
            assertThat(follower.poll(java.time.Instant.now())).extracting(e -> e.event().containerName()).containsExactly("web-3");
            assertThat(follower.poll(java.time.Instant.now())).isEmpty();
        }
        try (BaselineStore a = BaselineStore.open(hostA); BaselineStore b = BaselineStore.open(hostB)) {
            a.save(new ImageBaseline(IMAGE, "nginx:1.27", Map.of("/usr/sbin/nginx",
                    new BaselineFile("/usr/sbin/nginx", "66".repeat(32), 1_234_567, 0100755, 0, 0, 1L, 2L)), T, 12));
            a.saveProfileState(new ProfileState(IMAGE, "nginx:1.27", T, T.plusSeconds(60), null));
            List<ProfileEntry> learnt = List.of(new ProfileEntry("/usr/sbin/nginx", "66".repeat(32), "nginx", "/bin/sh", 0, T),
                    new ProfileEntry("/bin/ls", null, "ls", "/bin/sh", 33, T));
            a.addProfileEntries(IMAGE, learnt);
            a.addProfileEntries(IMAGE, learnt);
            assertThat(b.load(IMAGE).orElseThrow().file("/usr/sbin/nginx").size()).isEqualTo(1_234_567);
            assertThat(b.profileState(IMAGE).orElseThrow().learnUntil()).isEqualTo(T.plusSeconds(60));
            assertThat(b.profileEntries(IMAGE)).extracting(ProfileEntry::path).containsExactly("/bin/ls", "/usr/sbin/nginx");
            b.saveProfileState(new ProfileState(IMAGE, "nginx:1.27", T, null, 5L));
            assertThat(a.profileState(IMAGE).orElseThrow().learnCount()).isEqualTo(5L);
            assertThat(a.folder()).isEqualTo(tmp.resolve("a"));
        }
    }

    @Test
    void aWrongPasswordIsAnErrorThatNamesTheStoreAndNotThePassword() throws Exception {
        Path wrong = tmp.resolve("wrong-password");
        Files.writeString(wrong, "not-" + cluster.password() + "\n");
        StoreSettings settings = host("c", "password_file = \"" + wrong + "\"\n").store();
        assertThatThrownBy(() -> Database.open(settings)).isInstanceOf(SQLException.class)
                .hasMessageContaining("cannot open " + cluster.url())
                .hasMessageContaining("password authentication failed")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(cluster.password()));
    }

    /** A host's config: its own state folder, the shared database; {@code credentials} replaces the password file. */
    private DaemonConfig host(String name, String credentials) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path password = dir.resolve("store-password");
        Files.writeString(password, cluster.password() + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path config = dir.resolve("driftguard.toml");
        Files.writeString(config, "[store]\npath = \"" + dir.resolve("driftguard.db") + "\"\nurl = \"" + cluster.url() + "\"\n"
                + "user = \"" + PostgresCluster.USER + "\"\nssl_mode = \"disable\"\n"
                + (credentials.isEmpty() ? "password_file = \"" + password + "\"\n" : credentials)
                + "\n[daemon]\nhost_id = \"host-" + name + "\"\n");
        return DaemonConfig.load(config);
    }

    private static Event event(String host, String container, Instant time) {
        return Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH).time(time).host(host)
                .container("c0ffee" + container.hashCode(), container, "nginx:1.27", IMAGE.toString()).message("blocked on " + host).build();
    }
}
