package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Approvals;
import io.driftguard.core.store.Database;
import io.driftguard.core.testing.PostgresCluster;
import io.driftguard.daemon.fleet.Fleet;
import io.driftguard.daemon.fleet.PolicyFiles;
import io.driftguard.daemon.fleet.PolicyRevisions;
import io.driftguard.daemon.metrics.MetricSources;
import io.driftguard.daemon.metrics.ScannerRuns;
import io.driftguard.scan.store.Approval;
import io.driftguard.scan.store.ScannerStore;
import io.driftguard.scan.store.TagKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
    private SharedStoreHosts hosts;

    @BeforeEach
    void startCluster() throws Exception {
        cluster = PostgresCluster.start();
        hosts = new SharedStoreHosts(cluster, tmp);
    }

    @AfterEach
    void stop() throws Exception {
        hosts.close();
        cluster.close();
    }

    @Test
    void queuedEventsArriveOnceThroughAStoppedServer() throws Exception {
        SharedStoreHosts.Host a = hosts.host("a");
        SharedStoreHosts.Host b = hosts.host("b");
        a.publish(300, "before");
        b.publish(200, "before");
        a.fleet().start(() -> new Fleet.Counts(1, 1), null);
        b.fleet().start(() -> new Fleet.Counts(2, 1), null);
        Database central = hosts.central();
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
        assertThat(SharedStoreHosts.count(central, "SELECT count(DISTINCT (host_id, host_seq)) FROM events")).isEqualTo(700);
        assertThat(rows(central, "json LIKE '%while down%'")).isEqualTo(200);
        assertThat(a.events()).anyMatch(e -> e.message().contains("answers"));
        assertThat(SharedStoreHosts.count(central, "SELECT count(*) FROM hosts")).isEqualTo(2);
    }

    @Test
    void approvalsAndPoliciesReachEveryCacheWithinSeconds() throws Exception {
        Database central = hosts.central();
        SharedStoreHosts.scannerTables(central);
        SharedStoreHosts.Host a = hosts.host("a");
        SharedStoreHosts.Host b = hosts.host("b");
        List<String> applied = new CopyOnWriteArrayList<>();
        for (SharedStoreHosts.Host h : List.of(a, b)) {
            h.fleet().start(() -> new Fleet.Counts(0, 0), (dir, revision) -> {
                applied.add(h.id() + " " + revision + ":" + String.join(",", new java.io.File(dir.toString()).list()));
                return true;
            });
        }
        DaemonProcess.waitFor(Duration.ofSeconds(20), () -> Boolean.TRUE.equals(a.fleet().status().get("connected"))
                && Boolean.TRUE.equals(b.fleet().status().get("connected")), "both connected");
        Digest digest = Digest.parse("sha256:" + "cd".repeat(32));
        try (Connection c = central.connection(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO registry_tags(registry, repository, tag, current_digest, approved_digest, approved_ms)"
                    + " VALUES ('127.0.0.1:5000', 'dg/app', 'v1', '" + digest + "', '" + digest + "', 1)");
        }
        DaemonProcess.waitFor(Duration.ofSeconds(5), () -> approved(b, digest), "approval on host b");

        Path dir = Files.createDirectories(tmp.resolve("published"));
        Files.writeString(dir.resolve("10-shells.toml"), "[[policy]]\nname = \"NoShells\"\n[[policy.process]]\naction = \"block\"\nnames = [\"sh\"]\n");
        long revision = new PolicyRevisions(central).publish(PolicyFiles.read(dir), "test", Instant.now());
        DaemonProcess.waitFor(Duration.ofSeconds(5), () -> applied.contains(a.id() + " " + revision + ":10-shells.toml")
                && applied.contains(b.id() + " " + revision + ":10-shells.toml"), "revision applied on both");
        assertThat(a.fleet().status().get("policy_revision")).isEqualTo(revision);
    }

    @Test
    void anApprovalMadeOnHostAThatExpiredDoesNotAdmitOnHostB() throws Exception {
        Database central = hosts.central();
        ScannerStore scanner = SharedStoreHosts.scannerTables(central);
        SharedStoreHosts.Host b = hosts.host("b");
        b.fleet().start(() -> new Fleet.Counts(0, 0), null);
        DaemonProcess.waitFor(Duration.ofSeconds(20), () -> Boolean.TRUE.equals(b.fleet().status().get("connected")), "host b connected");
        Digest digest = Digest.parse("sha256:" + "ef".repeat(32));
        Instant now = Instant.now();
        // As driftguard-scan approve --expires on host a writes them: one expired, one counting for an hour.
        scanner.approve(new TagKey("127.0.0.1:5000", "dg/app", "old"),
                new Approval(digest, now.minusSeconds(120), Optional.of("alice"), Optional.of(now.minusSeconds(60))));
        scanner.approve(new TagKey("127.0.0.1:5000", "dg/app", "v1"),
                new Approval(digest, now, Optional.of("bob"), Optional.of(now.plusSeconds(3600))));
        DaemonProcess.waitFor(Duration.ofSeconds(5), () -> approved(b, "v1", digest), "the unexpired approval on host b");
        Approvals admission = b.fleet().approvals();
        assertThat(admission.approved("127.0.0.1:5000", "dg/app", "old")).as("expired on host a: not admitted on host b").isEmpty();
        try (Connection c = b.local().connection(); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT approved_by, approved_until_ms FROM fleet_approvals WHERE tag = 'old'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("alice");
            assertThat(rs.getLong(2)).isEqualTo(now.minusSeconds(60).toEpochMilli());
        }
    }

    @Test
    void theScannersLastRunInTheSharedStoreIsWhatEveryHostsMetricsRead() throws Exception {
        Database central = hosts.central();
        ScannerStore scanner = SharedStoreHosts.scannerTables(central);
        SharedStoreHosts.Host b = hosts.host("b");
        b.fleet().start(() -> new Fleet.Counts(0, 0), null);
        DaemonProcess.waitFor(Duration.ofSeconds(20), () -> Boolean.TRUE.equals(b.fleet().status().get("connected")), "host b connected");
        ScannerRuns metrics = new ScannerRuns(b.local(), Fleet.scannerRunsTable());
        Instant t = Instant.parse("2026-12-02T03:00:00Z");
        long run = scanner.startRun(t);
        scanner.finishRun(run, t.plusSeconds(5), 12, 2, 1, 3);
        DaemonProcess.waitFor(Duration.ofSeconds(5), () -> lastRun(metrics).isPresent(), "the run in host b's metrics");
        assertThat(lastRun(metrics)).contains(new MetricSources.ScanRun(t.plusSeconds(5).toEpochMilli(), 12, 2, 1, 3));
        // A run that has not finished yet leaves the last finished one in place.
        scanner.startRun(t.plusSeconds(60));
        Thread.sleep(1000);
        assertThat(lastRun(metrics)).map(MetricSources.ScanRun::tags).contains(12L);
    }

    private static Optional<MetricSources.ScanRun> lastRun(ScannerRuns metrics) {
        try {
            return metrics.read();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    static boolean approved(SharedStoreHosts.Host h, Digest digest) {
        return approved(h, "v1", digest);
    }

    static boolean approved(SharedStoreHosts.Host h, String tag, Digest digest) {
        try {
            return h.fleet().approvals().approved("127.0.0.1:5000", "dg/app", tag).filter(digest::equals).isPresent();
        } catch (Exception e) {
            return false;
        }
    }

    private static long rows(Database central, String where) {
        try {
            return SharedStoreHosts.count(central, "SELECT count(*) FROM events WHERE " + where);
        } catch (Exception e) {
            return -1;
        }
    }
}
