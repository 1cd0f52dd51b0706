package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.Retention;
import io.driftguard.core.store.StoreSettings;
import io.driftguard.core.testing.PostgresCluster;
import io.driftguard.daemon.app.DaemonConfig;
import io.driftguard.daemon.fleet.Fleet;
import io.driftguard.daemon.fleet.PolicyFiles;
import io.driftguard.daemon.fleet.PolicyRevisions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts' links to one real PostgreSQL cluster, without daemons: events queued in each local
 * outbox arrive once, through a stopped and restarted server; approvals and published policies
 * reach both caches through LISTEN/NOTIFY.
 */
class FleetLinkIT {
    @TempDir
    Path tmp;

    private PostgresCluster cluster;
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startCluster() throws Exception {
        cluster = PostgresCluster.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        cluster.close();
    }

    private record Host(String id, Database local, Fleet fleet, List<String> applied, List<Event> events) {
        void publish(int n, String tag) throws Exception {
            for (int i = 0; i < n; i++) {
                fleet.outbox().accept(Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH).host(id)
                        .container("c0ffee", "web", "nginx:1", "sha256:" + "ab".repeat(32)).message(tag + " " + i).build());
            }
        }
    }

    private Host host(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Path password = dir.resolve("store-password");
        Files.writeString(password, cluster.password() + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path config = dir.resolve("driftguard.toml");
        Files.writeString(config, "[store]\npath = \"" + dir.resolve("driftguard.db") + "\"\nurl = \"" + cluster.url() + "\"\n"
                + "user = \"" + PostgresCluster.USER + "\"\nssl_mode = \"disable\"\npassword_file = \"" + password + "\"\n"
                + "[daemon]\nhost_id = \"host-" + name + "\"\n");
        DaemonConfig settings = DaemonConfig.load(config);
        StoreSettings.Postgres shared = (StoreSettings.Postgres) settings.store();
        Database local = Database.open(shared.localCache());
        open.add(local);
        List<Event> events = new CopyOnWriteArrayList<>();
        Fleet fleet = Fleet.open(shared, settings.hostId(), local, Retention.DEFAULT, events::add);
        open.add(fleet);
        List<String> applied = new CopyOnWriteArrayList<>();
        return new Host(settings.hostId(), local, fleet, applied, events);
    }

    private Database central() throws Exception {
        Path password = tmp.resolve("central-password");
        Files.writeString(password, cluster.password());
        Path config = tmp.resolve("central.toml");
        Files.writeString(config, "[store]\npath = \"" + tmp.resolve("central/driftguard.db") + "\"\nurl = \"" + cluster.url() + "\"\n"
                + "user = \"" + PostgresCluster.USER + "\"\nssl_mode = \"disable\"\npassword_file = \"" + password + "\"\n");
        Database db = Database.open(DaemonConfig.load(config).store());
        open.add(db);
        return db;
    }

    private static long count(Database db, String sql) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void queuedEventsArriveOnceThroughAStoppedServer() throws Exception {
        Host a = host("a");
        Host b = host("b");
        a.publish(300, "before");
        b.publish(200, "before");
        a.fleet().start(() -> new Fleet.Counts(1, 1), null);
        b.fleet().start(() -> new Fleet.Counts(2, 1), null);
        Database central = central();
        central.migrate("events");
        DaemonProcess.waitFor(Duration.ofSeconds(30), () -> rows(central, "host_seq IS NOT NULL") == 500, "500 events sent");

        cluster.stop();
        a.publish(100, "while down");
        b.publish(100, "while down");
        DaemonProcess.waitFor(Duration.ofSeconds(20), () -> a.events().stream().anyMatch(e -> e.message().contains("does not answer")),
                "host a to notice the store is gone");
        assertThat((long) a.fleet().status().get("queued_events")).isGreaterThanOrEqualTo(100);
        cluster.startServer();
        DaemonProcess.waitFor(Duration.ofSeconds(30), () -> rows(central, "host_seq IS NOT NULL") >= 700, "queued events sent");
        Thread.sleep(1500);
        assertThat(rows(central, "host_seq IS NOT NULL")).isEqualTo(700);
        assertThat(count(central, "SELECT count(DISTINCT (host_id, host_seq)) FROM events")).isEqualTo(700);
        assertThat(rows(central, "json LIKE '%while down%'")).isEqualTo(200);
        assertThat(a.events()).anyMatch(e -> e.message().contains("answers"));
        assertThat(count(central, "SELECT count(*) FROM hosts")).isEqualTo(2);
    }

    @Test
    void approvalsAndPoliciesReachEveryCacheWithinSeconds() throws Exception {
        Database central = central();
        central.migrate("fleet");
        try (Connection c = central.connection(); Statement s = c.createStatement()) {
            // The scanner's table as its migrations make it, with the trigger that announces changes.
            s.execute("CREATE TABLE registry_tags (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, registry TEXT NOT NULL,"
                    + " repository TEXT NOT NULL, tag TEXT NOT NULL, current_digest TEXT, approved_digest TEXT, approved_ms BIGINT,"
                    + " UNIQUE(registry, repository, tag))");
            s.execute("CREATE TRIGGER registry_tags_changed AFTER INSERT OR UPDATE OR DELETE ON registry_tags"
                    + " FOR EACH STATEMENT EXECUTE FUNCTION driftguard_changed('approvals')");
        }
        Host a = host("a");
        Host b = host("b");
        for (Host h : List.of(a, b)) {
            h.fleet().start(() -> new Fleet.Counts(0, 0), (dir, revision) -> {
                h.applied().add(revision + ":" + String.join(",", new java.io.File(dir.toString()).list()));
                return true;
            });
        }
        DaemonProcess.waitFor(Duration.ofSeconds(20), () -> Boolean.TRUE.equals(a.fleet().status().get("connected"))
                && Boolean.TRUE.equals(b.fleet().status().get("connected")), "both connected");
        Digest digest = Digest.parse("sha256:" + "cd".repeat(32));
        Instant approvedAt = Instant.now();
        try (Connection c = central.connection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO registry_tags(registry, repository, tag, current_digest, approved_digest, approved_ms)"
                    + " VALUES ('127.0.0.1:5000', 'dg/app', 'v1', '" + digest + "', '" + digest + "', 1)");
        }
        DaemonProcess.waitFor(Duration.ofSeconds(5), () -> approved(b, digest), "approval on host b");
        System.out.println("approval reached host b after " + Duration.between(approvedAt, Instant.now()).toMillis() + " ms");

        Path dir = Files.createDirectories(tmp.resolve("published"));
        Files.writeString(dir.resolve("10-shells.toml"), "[[policy]]\nname = \"NoShells\"\n[[policy.process]]\naction = \"block\"\nnames = [\"sh\"]\n");
        long revision = new PolicyRevisions(central).publish(PolicyFiles.read(dir), "test", Instant.now());
        DaemonProcess.waitFor(Duration.ofSeconds(5), () -> a.applied().contains(revision + ":10-shells.toml")
                && b.applied().contains(revision + ":10-shells.toml"), "revision applied on both");
        assertThat(a.fleet().status().get("policy_revision")).isEqualTo(revision);
    }

    private static boolean approved(Host h, Digest digest) {
        try {
            return h.fleet().approvals().approved("127.0.0.1:5000", "dg/app", "v1").filter(digest::equals).isPresent();
        } catch (Exception e) {
            return false;
        }
    }

    private static long rows(Database central, String where) {
        try {
            return count(central, "SELECT count(*) FROM events WHERE " + where);
        } catch (Exception e) {
            return -1;
        }
    }
}
