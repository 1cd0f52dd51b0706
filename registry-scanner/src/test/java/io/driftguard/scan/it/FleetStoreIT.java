package io.driftguard.scan.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.ImageScans;
import io.driftguard.core.store.StoreSettings;
import io.driftguard.core.testing.PostgresCluster;
import io.driftguard.scan.config.ScanConfigReader;
import io.driftguard.scan.store.AdvisoryRecord;
import io.driftguard.scan.store.AdvisoryStore;
import io.driftguard.scan.store.ImageScanStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hosts' scanners sharing a PostgreSQL store ({@code [store] url}) on a real cluster and a real
 * docker-registry: what one host approves, the other sees and compares with.
 */
class FleetStoreIT {
    private static LocalRegistry registry;
    private static TestPusher pusher;
    private static PostgresCluster database;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        database = PostgresCluster.start();
        registry = LocalRegistry.start("");
        pusher = new TestPusher(registry.url());
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void anApprovalMadeOnOneHostCountsOnTheOther() throws Exception {
        TestImage first = TestImage.random(41, 1, 4096, "amd64");
        pusher.push("fleet/app", "1", first);
        Scanner hostA = host("a");
        Scanner hostB = host("b");
        String tag = registry.host() + "/fleet/app:1";

        Scanner.Result initial = hostA.run();
        assertThat(initial.code()).as(initial.toString()).isZero();
        Scanner.Result approved = hostA.cli("approve", tag);
        assertThat(approved.code()).as(approved.toString()).isZero();
        assertThat(hostB.cli("history", tag).out()).contains(first.digest() + "  ").contains("approved current");

        TestImage rebuilt = TestImage.random(42, 1, 4096, "amd64");
        pusher.push("fleet/app", "1", rebuilt);
        Scanner.Result drifted = hostB.run();
        assertThat(drifted.code()).as(drifted.toString()).isEqualTo(1);
        assertThat(drifted.findings("drift")).singleElement()
                .satisfies(d -> assertThat(d.path("details").path("approved_digest").asText()).isEqualTo(first.digest().toString()));
        Scanner.Result status = hostA.cli("status");
        assertThat(status.out()).as(status.toString()).contains("1 with open drift");
        assertThat(status.code()).isEqualTo(1);
        assertThat(status.out() + status.err()).doesNotContain(database.password());
    }

    /** The image-scan tables (advisories, SBOMs, results) have their PostgreSQL migrations too. */
    @Test
    void imageScanTablesLiveInTheSharedStore() throws Exception {
        Scanner hostA = host("c");
        StoreSettings settings = ScanConfigReader.read(hostA.config()).store();
        Digest image = Digest.parse("sha256:" + "ab".repeat(32));
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        try (Database db = Database.open(settings)) {
            AdvisoryStore advisories = new AdvisoryStore(db);
            advisories.save(List.of(new AdvisoryRecord("DSA-1", List.of("CVE-2026-1"), "bad", "HIGH", now,
                    List.of(new AdvisoryRecord.Affected("Debian:12", "openssl", "{}")))));
            advisories.save(List.of(new AdvisoryRecord("DSA-1", List.of("CVE-2026-1"), "worse", "CRITICAL", now,
                    List.of(new AdvisoryRecord.Affected("Debian:12", "openssl", "{}")))));
            new ImageScanStore(db).saveResult(image, "critical", "[]", now);
        }
        try (Database db = Database.open(ScanConfigReader.read(host("d").config()).store())) {
            assertThat(new AdvisoryStore(db).affecting("Debian:12", "openssl")).singleElement()
                    .satisfies(a -> assertThat(a.summary()).isEqualTo("worse"));
            assertThat(new ImageScans(db).latest(image)).hasValueSatisfying(s ->
                    assertThat(s.worst()).contains(Severity.CRITICAL));
        }
    }

    private Scanner host(String name) throws Exception {
        Path home = Files.createDirectory(dir.resolve(name));
        Path password = home.resolve("store-password");
        Files.writeString(password, database.password() + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        String store = "path = \"driftguard.db\"\nurl = \"" + database.url() + "\"\nuser = \"" + PostgresCluster.USER + "\"\n"
                + "password_file = \"" + password + "\"\nssl_mode = \"disable\"\n";
        return new Scanner(home, store, "", "[[registry]]\nurl = \"" + registry.url() + "\"\nrepositories = [\"fleet/app\"]\n");
    }
}
