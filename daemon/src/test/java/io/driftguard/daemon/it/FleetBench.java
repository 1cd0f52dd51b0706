package io.driftguard.daemon.it;

import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Database;
import io.driftguard.core.testing.PostgresCluster;
import io.driftguard.daemon.fleet.Fleet;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a test of the build (no IT suffix: run by bench/fleet-bench.sh only). Four
 * simulated hosts (local cache, outbox and link each, as a daemon has them) against one
 * PostgreSQL cluster: the sustained rate at which their events reach the shared events table, and
 * the time from an approval in the shared store to its use from another host's cache. Prints figures.
 */
class FleetBench {
    private static final int HOSTS = 4;
    private static final int EVENTS = Integer.getInteger("fleet.bench.events", 25_000);
    private static final int APPROVALS = Integer.getInteger("fleet.bench.approvals", 50);

    @TempDir
    Path tmp;

    @Test
    void figures() throws Exception {
        try (PostgresCluster cluster = PostgresCluster.start(); SharedStoreHosts hosts = new SharedStoreHosts(cluster, tmp)) {
            Database central = hosts.central();
            SharedStoreHosts.scannerTables(central);
            central.migrate("events");
            List<SharedStoreHosts.Host> fleet = new ArrayList<>();
            for (int i = 0; i < HOSTS; i++) {
                fleet.add(hosts.host("h" + i));
            }
            for (SharedStoreHosts.Host h : fleet) {
                h.fleet().start(() -> new Fleet.Counts(0, 0), null);
            }
            Poll.until(Duration.ofSeconds(30), () -> fleet.stream().allMatch(h -> Boolean.TRUE.equals(h.fleet().status().get("connected"))));

            // Each host records EVENTS as fast as its outbox takes them, while its link sends.
            ExecutorService producers = Executors.newFixedThreadPool(HOSTS);
            long start = System.nanoTime();
            List<Future<Long>> recorded = new ArrayList<>();
            for (SharedStoreHosts.Host h : fleet) {
                recorded.add(producers.submit(() -> {
                    long t = System.nanoTime();
                    h.publish(EVENTS, "bench");
                    return System.nanoTime() - t;
                }));
            }
            long slowestProducer = 0;
            for (Future<Long> f : recorded) {
                slowestProducer = Math.max(slowestProducer, f.get());
            }
            producers.shutdown();
            long total = (long) HOSTS * EVENTS;
            Poll.until(Duration.ofMinutes(10), () -> rows(central) >= total);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("FleetBench: %d hosts x %d events: all %d in the shared store after %.1f s: %.0f events/s"
                    + " sustained (each host recorded %.0f events/s into its outbox)%n", HOSTS, EVENTS, total, seconds,
                    total / seconds, EVENTS / (slowestProducer / 1e9));

            // Approvals made in the shared store (as driftguard-scan approve on some host does), used from another host's cache.
            SharedStoreHosts.Host reader = fleet.get(HOSTS - 1);
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < APPROVALS; i++) {
                Digest digest = Digest.parse("sha256:" + String.format("%064x", i + 1));
                String tag = "v" + i;
                long t = System.nanoTime();
                try (Connection c = central.connection(); PreparedStatement s = c.prepareStatement(
                        "INSERT INTO registry_tags(registry, repository, tag, current_digest, approved_digest, approved_ms) VALUES(?,?,?,?,?,?)")) {
                    s.setString(1, "127.0.0.1:5000");
                    s.setString(2, "dg/app");
                    s.setString(3, tag);
                    s.setString(4, digest.toString());
                    s.setString(5, digest.toString());
                    s.setLong(6, System.currentTimeMillis());
                    s.executeUpdate();
                }
                Poll.until(Duration.ofSeconds(10), () -> {
                    try {
                        return reader.fleet().approvals().approved("127.0.0.1:5000", "dg/app", tag).filter(digest::equals).isPresent();
                    } catch (Exception e) {
                        return false;
                    }
                });
                millis.add((System.nanoTime() - t) / 1e6);
                Thread.sleep(100);
            }
            Collections.sort(millis);
            System.out.printf("FleetBench: approval in the shared store -> admitted from another host's cache: p50 %.0f ms, p99 %.0f ms,"
                    + " max %.0f ms over %d approvals%n", millis.get(millis.size() / 2),
                    millis.get(Math.min(millis.size() - 1, (int) (millis.size() * 0.99))), millis.get(millis.size() - 1), millis.size());
        }
    }

    private static long rows(Database central) {
        try {
            return SharedStoreHosts.count(central, "SELECT count(*) FROM events WHERE host_seq IS NOT NULL");
        } catch (Exception e) {
            return -1;
        }
    }

    /** Polls every 2 ms: latency figures need a finer grain than the tests' waits. */
    private static final class Poll {
        static void until(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("timed out after " + timeout);
                }
                Thread.sleep(2);
            }
        }
    }
}
