package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventJson;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.EventStore;
import io.driftguard.core.testing.LocalRegistry;
import io.driftguard.core.testing.PostgresCluster;
import io.driftguard.core.testing.Prerequisites;
import io.driftguard.daemon.baseline.BaselineFile;
import io.driftguard.daemon.baseline.BaselineStore;
import io.driftguard.daemon.baseline.ImageBaseline;
import io.driftguard.daemon.baseline.ProfileEntry;
import io.driftguard.daemon.baseline.ProfileState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two hosts on one machine: two daemons, each with its own config, state folder (local cache and
 * outbox), control socket and plugin socket, against one private Docker engine (which asks host
 * B's authorization plugin) and one real PostgreSQL cluster. Both follow the centrally published
 * policies. The tests run in order on the same fleet; the last stops PostgreSQL for a while.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetIT {
    private static final String WEB = "driftguard-test/web:1";
    /** How long PostgreSQL stays stopped: the minute, unless a CI run asks for less. */
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("fleet.outage.seconds", 60));

    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final String plugin = "driftguard-fleet-" + tag;
    private Path dir;
    private PostgresCluster cluster;
    private PrivateEngine engine;
    private DockerCli docker;
    private DaemonProcess a;
    private DaemonProcess b;
    private String centralContainer;

    @BeforeAll
    void start() throws Exception {
        Prerequisites.requireImage(WEB);
        Prerequisites.requireCommand("docker-registry");
        dir = Files.createTempDirectory(Path.of("/tmp"), "dg-fleet");
        cluster = PostgresCluster.start();
        engine = PrivateEngine.launch("--authorization-plugin=" + plugin);
        a = host("a", false);
        b = host("b", true);
        DockerCli.Result published = a.cli("policy", "publish", writePolicies("r1", false).toString());
        assertThat(published.exit()).as(published.all()).isZero();
        assertThat(published.out()).contains("published revision 1");
        // The engine answers only once host b's plugin does.
        b.start();
        engine.awaitReadyWithImage();
        a.start();
        Path web = dir.resolve("web.tar");
        assertThat(DockerCli.run("save", "-o", web.toString(), WEB).exit()).isZero();
        docker = new DockerCli("dg-fleet", engine.host());
        assertThat(docker.docker("load", "-i", web.toString()).exit()).isZero();
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {docker, a, b, engine, cluster}) {
            if (c != null) {
                c.close();
            }
        }
        if (dir != null) {
            DockerCli.exec(List.of("rm", "-rf", dir.toString()));
        }
    }

    /** A daemon sharing the cluster; {@code plugged}: the engine's authorization plugin is this one. */
    private DaemonProcess host(String name, boolean plugged) throws Exception {
        DaemonProcess daemon = new DaemonProcess(dir.resolve(name));
        Path password = daemon.dir().resolve("store-password");
        Files.writeString(password, cluster.password() + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        daemon.editConfig(toml -> toml
                .replace("dir = \"policies.d\"\n", "dir = \"policies.d\"\nsource = \"central\"\n")
                .replace("path = \"state/driftguard.db\"\n", "path = \"state/driftguard.db\"\n" + storeKeys(password))
                .replace("control_socket = \"state/driftguard.sock\"\n", "control_socket = \"state/driftguard.sock\"\nhost_id = \"fleet-" + name + "\"\n"));
        if (plugged) {
            daemon.useEngineWithPlugin(engine.host(), plugin);
        } else {
            daemon.useEngine(engine.host());
        }
        if (name.equals("a")) {
            Files.createDirectories(daemon.dir().resolve("logs"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            daemon.editConfig(toml -> toml + "[[output]]\ntype = \"file\"\npath = \"" + outputFile(daemon) + "\"\n");
        }
        return daemon;
    }

    /** Host a's file [[output]]. */
    private static Path outputFile(DaemonProcess host) {
        return host.dir().resolve("logs/events.json");
    }

    private String storeKeys(Path password) {
        return "url = \"" + cluster.url() + "\"\nuser = \"" + PostgresCluster.USER + "\"\nssl_mode = \"disable\"\n"
                + "password_file = \"" + password + "\"\n";
    }

    /** The fleet's policies; {@code withCentralRule} adds CentralNoCat (revision 2). */
    private Path writePolicies(String name, boolean withCentralRule) throws Exception {
        Path policies = Files.createDirectories(dir.resolve("published-" + name));
        Files.writeString(policies.resolve("10-fleet.toml"), """
                [[policy]]
                name = "OnlyApproved"
                match.labels = { approved = "%1$s" }
                [policy.admission]
                action = "deny"
                approved_only = true

                [[policy]]
                name = "LearnedOnA"
                match.labels = { profiled = "%1$s" }
                [policy.profile]
                mode = "learn"
                learn_for = "15s"
                action = "block"
                """.formatted(tag));
        if (withCentralRule) {
            Files.writeString(policies.resolve("20-central.toml"), """
                    [[policy]]
                    name = "CentralNoCat"
                    match.labels = { central = "%s" }
                    [[policy.process]]
                    action = "block"
                    names = ["cat"]
                    """.formatted(tag));
        }
        return policies;
    }

    @Test
    @Order(1)
    void anApprovalByTheScannerOnHostAAdmitsTheImageOnHostB() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(dir.resolve("registry"))) {
            String ref = registry.host() + "/dg/fleet:v1";
            assertThat(docker.docker("tag", DockerCli.IMAGE, ref).exit()).isZero();
            assertThat(docker.docker("push", ref).exit()).isZero();
            Path password = a.dir().resolve("store-password");
            Path scanConfig = a.dir().resolve("scan.toml");
            Files.writeString(scanConfig, "[store]\npath = \"" + a.dir().resolve("state/driftguard.db") + "\"\n" + storeKeys(password)
                    + "\n[daemon]\nhost_id = \"fleet-a\"\n\n[[registry]]\nurl = \"http://" + registry.host() + "\"\n");
            DockerCli.Result unapproved = docker.docker("create", "--network", "none", "--label", "approved=" + tag, ref);
            assertThat(unapproved.err()).contains("driftguard: policy OnlyApproved denies an unapproved image (" + ref);
            assertThat(ScannerCli.run(scanConfig, "run", "--once").exit()).isBetween(0, 2);
            DockerCli.Result approve = ScannerCli.run(scanConfig, "approve", "--by", "relay-" + tag, ref);
            assertThat(approve.exit()).as(approve.all()).isZero();
            Instant approved = Instant.now();
            String name = "dg-fleet-approved-" + tag;
            docker.track(name);
            DaemonProcess.waitFor(Duration.ofSeconds(5), () -> docker.docker("create", "--network", "none", "--label",
                    "approved=" + tag, "--name", name, ref).exit() == 0, "host b to admit the image host a approved");
            System.out.println("FleetIT: approval on host a admitted on host b after "
                    + Duration.between(approved, Instant.now()).toMillis() + " ms");
            // The scanner wrote the approval's event to the shared store only: host a's daemon relays it to its [[output]].
            DaemonProcess.waitFor(Duration.ofSeconds(20), () -> registryEventsIn(outputFile(a)).stream()
                    .anyMatch(e -> "approval".equals(e.details().get("finding")) && ("relay-" + tag).equals(e.details().get("approved_by"))
                            && "dg/fleet".equals(e.details().get("repository"))), "the scanner's approval in host a's file output");

            // Approved again on host a, until a few seconds from now: once that has passed, host b no longer admits it.
            DockerCli.Result expiring = ScannerCli.run(scanConfig, "approve", "--by", "ci-" + tag, "--expires", "4s", ref);
            assertThat(expiring.exit()).as(expiring.all()).isZero();
            assertThat(expiring.out()).contains("by ci-" + tag + " until ");
            Path scanConfigB = b.dir().resolve("scan.toml");
            Files.writeString(scanConfigB, "[store]\npath = \"" + b.dir().resolve("state/driftguard.db") + "\"\n"
                    + storeKeys(b.dir().resolve("store-password")) + "\n[daemon]\nhost_id = \"fleet-b\"\n");
            DockerCli.Result listed = ScannerCli.run(scanConfigB, "approvals", "--json");
            assertThat(listed.exit()).as(listed.all()).isZero();
            assertThat(listed.out()).as("who and until when, seen from host b").contains("\"approved_by\":\"ci-" + tag + "\"")
                    .contains("\"approval_expires\":\"");
            String probe = "dg-fleet-expiring-" + tag;
            docker.track(probe);
            DaemonProcess.waitFor(Duration.ofSeconds(20), () -> {
                DockerCli.Result create = docker.docker("create", "--network", "none", "--label", "approved=" + tag, "--name", probe, ref);
                if (create.exit() == 0) {
                    docker.docker("rm", probe);
                }
                return create.err().contains("denies an unapproved image");
            }, "host b to refuse the image once its approval expired");
        }
    }

    /**
     * Learnt on host A, enforced on host B: B is stopped while A learns, so that B never sees the
     * container run. The engine asks the authorization plugin for every request, so A serves it
     * meanwhile (on the same socket), and B again once A has learnt.
     */
    @Test
    @Order(2)
    void aProfileLearntOnHostABlocksOnHostB() throws Exception {
        assertThat(b.stop()).isZero();
        assertThat(a.stop()).isZero();
        String pluginSocket = "socket = \"/run/docker/plugins/" + plugin + ".sock\"";
        a.editConfig(toml -> toml.replace("socket = \"\"", pluginSocket));
        a.start();
        String name = "dg-fleet-prof-" + tag;
        docker.track(name);
        assertThat(docker.docker("run", "-d", "--network", "none", "--label", "profiled=" + tag, "--name", name, WEB).exit()).isZero();
        String id = docker.id(name);
        a.awaitAttached(id);
        long learningEnds = System.currentTimeMillis() + 15_000;
        assertThat(docker.execIn(name, "/bin/bash", "-c", "echo learning").out()).contains("learning");
        Thread.sleep(Math.max(0, learningEnds - System.currentTimeMillis()) + 2_500);
        assertThat(a.stop()).isZero();
        a.editConfig(toml -> toml.replace(pluginSocket, "socket = \"\""));
        b.start();
        b.awaitAttached(id);
        // Host b read host a's profile before it attached: it did not start learning one of its own.
        assertThat(output(b)).doesNotContain("learning the process profile of image " + WEB);
        Digest image = Digest.parse(docker.docker("inspect", "-f", "{{.Image}}", name).out().trim());
        try (Database local = Database.open(b.dir().resolve("state/driftguard.db"))) {
            BaselineStore cache = BaselineStore.on(local);
            assertThat(cache.profileState(image).orElseThrow().learnUntil()).isBefore(Instant.now());
            assertThat(cache.profileEntries(image)).extracting(ProfileEntry::path).contains("/bin/bash");
        }
        DockerCli.Result cat = docker.execIn(name, "/usr/bin/cat", "/etc/hostname");
        assertThat(cat.exit()).as(cat.all()).isNotZero();
        assertThat(docker.execIn(name, "/bin/bash", "-c", "echo learnt").out()).as("what host a learnt runs on host b").contains("learnt");
        a.start();
        a.awaitAttached(id);
    }

    @Test
    @Order(3)
    void aPolicyPublishedCentrallyIsEnforcedOnBothHostsWithinFiveSeconds() throws Exception {
        centralContainer = "dg-fleet-central-" + tag;
        docker.track(centralContainer);
        assertThat(docker.docker("run", "-d", "--network", "none", "--label", "central=" + tag, "--name", centralContainer, WEB)
                .exit()).isZero();
        assertThat(docker.execIn(centralContainer, "cat", "/etc/hostname").exit()).isZero();
        Instant published = Instant.now();
        DockerCli.Result publish = b.cli("policy", "publish", writePolicies("r2", true).toString());
        assertThat(publish.exit()).as(publish.all()).isZero();
        assertThat(publish.out()).contains("published revision 2");
        String id = docker.id(centralContainer);
        DaemonProcess.waitFor(Duration.ofSeconds(5), () -> revision(a) == 2 && revision(b) == 2 && a.attached(id) && b.attached(id),
                "revision 2 running and the container attached on both hosts");
        DockerCli.Result cat = docker.execIn(centralContainer, "cat", "/etc/hostname");
        System.out.println("FleetIT: revision 2 enforced on both hosts after " + Duration.between(published, Instant.now()).toMillis() + " ms");
        assertThat(cat.exit()).as(cat.all()).isNotZero();
        for (DaemonProcess host : List.of(a, b)) {
            assertThat(host.status().path("policies").toString()).contains("CentralNoCat");
        }
        DockerCli.Result hosts = a.cli("hosts");
        assertThat(hosts.exit()).as(hosts.all()).isZero();
        assertThat(hosts.out()).contains("fleet-a").contains("fleet-b");
    }

    @Test
    @Order(4)
    void theEventsOfBothHostsAreInOneQuery() throws Exception {
        // Both daemons run on this machine, so the events' host name is the same: tell them by their state folders.
        String started = "driftguard started: 2 policies from ";
        DaemonProcess.waitFor(Duration.ofSeconds(10), () -> {
            String all = a.cli("events", "--all-hosts", "--kind", "daemon", "--json").out();
            return all.contains(started + a.dir().resolve("state")) && all.contains(started + b.dir().resolve("state"));
        }, "events of both hosts in one query");
        String own = a.cli("events", "--kind", "daemon", "--json").out();
        assertThat(own).contains(started + a.dir().resolve("state")).doesNotContain(started + b.dir().resolve("state"));
        // Each row says which host recorded it by its [daemon] host_id, not by the (shared) host name.
        String all = a.cli("events", "--all-hosts", "--kind", "daemon", "--json").out();
        assertThat(all).contains("\"host_id\":\"fleet-a\"").contains("\"host_id\":\"fleet-b\"");
        List<String> table = a.cli("events", "--all-hosts", "--kind", "daemon", "--wide").out().lines().toList();
        assertThat(table.get(0)).startsWith("HOST");
        assertThat(table).anyMatch(line -> line.startsWith("fleet-a ") && line.contains(started + a.dir().resolve("state")))
                .anyMatch(line -> line.startsWith("fleet-b ") && line.contains(started + b.dir().resolve("state")));
    }

    @Test
    @Order(5)
    void withPostgresStoppedBothHostsKeepEnforcingAndRecordingAndEveryQueuedEventArrivesOnce() throws Exception {
        cluster.stop();
        Instant stopped = Instant.now();
        int blocked = 0;
        while (Duration.between(stopped, Instant.now()).compareTo(OUTAGE) < 0) {
            DockerCli.Result cat = docker.execIn(centralContainer, "cat", "/etc/hostname", "/proc/" + blocked);
            assertThat(cat.exit()).as("blocked while the database is away: %s", cat.all()).isNotZero();
            blocked++;
            Thread.sleep(2_000);
        }
        for (DaemonProcess host : List.of(a, b)) {
            JsonNode fleet = host.status().path("fleet");
            assertThat(fleet.path("connected").asBoolean()).as(fleet.toString()).isFalse();
            assertThat(fleet.path("queued_events").asLong()).as(fleet.toString()).isPositive();
        }
        assertThat(output(a)).contains("does not answer");
        cluster.startServer();
        for (DaemonProcess host : List.of(a, b)) {
            DaemonProcess.waitFor(Duration.ofSeconds(30), () -> host.status().path("fleet").path("connected").asBoolean()
                    && host.status().path("fleet").path("queued_events").asLong() == 0, "queued events sent");
        }
        System.out.println("FleetIT: " + blocked + " execs blocked during a " + OUTAGE.toSeconds() + " s outage");
        for (DaemonProcess host : List.of(a, b)) {
            String hostId = host.dir().getFileName().toString().equals("a") ? "fleet-a" : "fleet-b";
            // The local store has every event the host recorded; each must be in the shared one exactly once.
            Map<String, Long> local = frequencies(localEvents(host));
            DaemonProcess.waitFor(Duration.ofSeconds(10), () -> {
                try {
                    Map<String, Long> shared = frequencies(sharedEvents(host, hostId));
                    return local.keySet().stream().allMatch(shared::containsKey);
                } catch (Exception e) {
                    return false;
                }
            }, "every event of " + hostId + " in the shared store");
            Map<String, Long> shared = frequencies(sharedEvents(host, hostId));
            local.forEach((json, count) -> assertThat(shared.get(json)).as("copies of %s", json).isEqualTo(count));
            assertThat(local.keySet()).anyMatch(json -> json.contains("does not answer"));
        }
    }

    @Test
    @Order(6)
    void anExistingSqliteStoreIsMigratedOnceWhateverTheRuns() throws Exception {
        Path old = dir.resolve("old/driftguard.db");
        Digest image = Digest.parse("sha256:" + "5e".repeat(32));
        Instant t = Instant.parse("2026-11-30T10:00:00Z");
        try (Database sqlite = Database.open(old)) {
            EventStore events = new EventStore(sqlite, "fleet-old");
            for (int i = 0; i < 25; i++) {
                events.accept(Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH).time(t.plusSeconds(i))
                        .message("old event " + i).build());
            }
            BaselineStore baselines = BaselineStore.on(sqlite);
            baselines.save(new ImageBaseline(image, "old:1", Map.of("/bin/old",
                    new BaselineFile("/bin/old", "77".repeat(32), 10, 0100755, 0, 0, 1L, 2L)), t, 3));
            baselines.saveProfileState(new ProfileState(image, "old:1", t, t.plusSeconds(60), null));
            baselines.addProfileEntries(image, List.of(new ProfileEntry("/bin/old", "77".repeat(32), "old", "/bin/sh", 0, t)));
        }
        for (int run = 0; run < 2; run++) {
            DockerCli.Result migrate = a.cli("store", "migrate", "--from", old.toString());
            assertThat(migrate.exit()).as(migrate.all()).isZero();
            assertThat(migrate.out()).contains(run == 0 ? "25 events, 1 image baselines" : "0 events, 0 image baselines");
        }
        try (Database central = Database.open(io.driftguard.daemon.app.DaemonConfig.load(a.config()).store())) {
            assertThat(strings(central, "SELECT json FROM events WHERE json LIKE '%old event%'", null)).hasSize(25);
            BaselineStore shared = BaselineStore.on(central);
            assertThat(shared.load(image).orElseThrow().file("/bin/old").size()).isEqualTo(10);
            assertThat(shared.profileEntries(image)).extracting(ProfileEntry::path).containsExactly("/bin/old");
        }
    }

    private static List<Event> registryEventsIn(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().map(EventJson::fromJson)
                    .filter(e -> e.kind() == EventKind.REGISTRY).toList() : List.of();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Long> frequencies(List<String> rows) {
        return rows.stream().collect(java.util.stream.Collectors.groupingBy(r -> r, java.util.stream.Collectors.counting()));
    }

    private static int revision(DaemonProcess host) {
        JsonNode status = host.status();
        return status == null ? -1 : status.path("fleet").path("policy_revision").asInt(-1);
    }

    private static String output(DaemonProcess host) {
        try {
            return host.output();
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static List<String> localEvents(DaemonProcess host) throws Exception {
        try (Database local = Database.open(host.dir().resolve("state/driftguard.db"))) {
            return strings(local, "SELECT json FROM events", null);
        }
    }

    private List<String> sharedEvents(DaemonProcess host, String hostId) throws Exception {
        try (Database central = Database.open(io.driftguard.daemon.app.DaemonConfig.load(host.config()).store())) {
            return strings(central, "SELECT json FROM events WHERE host_id = ? AND host_seq > 0", hostId);
        }
    }

    private static List<String> strings(Database db, String sql, String parameter) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement(sql)) {
            if (parameter != null) {
                q.setString(1, parameter);
            }
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return Collections.unmodifiableList(rows);
    }
}
