package io.driftguard.scan.advisory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.event.Severity;
import io.driftguard.core.store.Database;
import io.driftguard.scan.packages.InstalledPackage;
import io.driftguard.scan.packages.OsRelease;
import io.driftguard.scan.store.AdvisoryRecord;
import io.driftguard.scan.store.AdvisoryStore;
import io.driftguard.scan.version.VersionScheme;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdvisoryTest {
    @TempDir
    Path dir;

    private static String osv(String id, String ecosystem, String name, String events, String extra) {
        return "{\"id\":\"" + id + "\",\"aliases\":[\"CVE-2099-" + id.hashCode() % 1000 + "\"],\"modified\":\"2026-11-01T00:00:00Z\","
                + extra + "\"affected\":[{\"package\":{\"ecosystem\":\"" + ecosystem + "\",\"name\":\"" + name + "\"},"
                + "\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[" + events + "]}]}]}";
    }

    @Test
    void cvss3BaseScoresMatchTheSpecificationsExamples() {
        assertThat(Cvss3.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).contains(9.8);
        assertThat(Cvss3.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H")).contains(10.0);
        assertThat(Cvss3.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N")).contains(6.1);
        assertThat(Cvss3.baseScore("CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N")).contains(5.5);
        assertThat(Cvss3.baseScore("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N")).contains(0.0);
        assertThat(Cvss3.baseScore("CVSS:3.1/AV:N/AC:L")).isEmpty();
        assertThat(Cvss3.rating(7.5)).isEqualTo(Severity.HIGH);
        assertThat(Cvss3.rating(9.0)).isEqualTo(Severity.CRITICAL);
        assertThat(Cvss3.rating(3.9)).isEqualTo(Severity.LOW);
    }

    @Test
    void severityIsTheAdvisorysOwnWordElseItsCvssElseMedium() throws IOException {
        String events = "{\"introduced\":\"0\"},{\"fixed\":\"2.0\"}";
        assertThat(parse(osv("A", "Debian:12", "x", events, "\"database_specific\":{\"severity\":\"Important\"},"))).isEqualTo("high");
        assertThat(parse(osv("B", "Ubuntu:22.04:LTS", "x", events, "\"severity\":[{\"type\":\"Ubuntu\",\"score\":\"low\"}],"))).isEqualTo("low");
        assertThat(parse(osv("C", "Alpine:v3.18", "x", events,
                "\"severity\":[{\"type\":\"CVSS_V3\",\"score\":\"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"}],"))).isEqualTo("critical");
        assertThat(parse(osv("D", "Debian:12", "x", events, ""))).isEqualTo("medium");
        assertThatThrownBy(() -> OsvParser.parse("{\"summary\":\"x\"}".getBytes(StandardCharsets.UTF_8), "f.json"))
                .hasMessage("f.json: OSV advisory without an id");
    }

    private static String parse(String json) throws IOException {
        return OsvParser.parse(json.getBytes(StandardCharsets.UTF_8), "test").severity();
    }

    @Test
    void rangesFollowOsvEvaluation() throws IOException {
        String ranges = "{\"ranges\":[{\"type\":\"ECOSYSTEM\",\"events\":[{\"introduced\":\"1.0-1\"},{\"fixed\":\"1.2-1\"},"
                + "{\"introduced\":\"2.0-1\"},{\"last_affected\":\"2.1-1\"},{\"introduced\":\"3.0-1\"}]}],\"versions\":[\"0.5-1\"]}";
        assertThat(AffectedCheck.check(ranges, "0.9-1", VersionScheme.DPKG)).isEmpty();
        assertThat(AffectedCheck.check(ranges, "0.5-1", VersionScheme.DPKG)).get().extracting(AffectedCheck.Hit::fixed)
                .isEqualTo(java.util.Optional.of("1.2-1"));
        assertThat(AffectedCheck.check(ranges, "1.1-1", VersionScheme.DPKG)).get().extracting(AffectedCheck.Hit::fixed)
                .isEqualTo(java.util.Optional.of("1.2-1"));
        assertThat(AffectedCheck.check(ranges, "1.2-1", VersionScheme.DPKG)).isEmpty();
        assertThat(AffectedCheck.check(ranges, "1.2~rc1-1", VersionScheme.DPKG)).isPresent();
        assertThat(AffectedCheck.check(ranges, "2.1-1", VersionScheme.DPKG)).isPresent();
        assertThat(AffectedCheck.check(ranges, "2.1-2", VersionScheme.DPKG)).isEmpty();
        assertThat(AffectedCheck.check(ranges, "9.0-1", VersionScheme.DPKG)).get().extracting(AffectedCheck.Hit::fixed)
                .isEqualTo(java.util.Optional.empty());
    }

    @Test
    void importsAZipSkippingBadFilesAndMatchesBySourcePackageAndEcosystem() throws Exception {
        Path zip = dir.resolve("all.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            put(out, "DSA-1.json", osv("DSA-1", "Debian:12", "openssl", "{\"introduced\":\"0\"},{\"fixed\":\"3.0.21-1\"}", ""));
            put(out, "DSA-2.json", osv("DSA-2", "Debian:11", "openssl", "{\"introduced\":\"0\"},{\"fixed\":\"3.0.21-1\"}", ""));
            put(out, "USN-1.json", osv("USN-1", "Ubuntu:22.04:LTS", "openssl", "{\"introduced\":\"0\"},{\"fixed\":\"9\"}", ""));
            put(out, "broken.json", "{not json");
        }
        try (Database db = Database.open(dir.resolve("s.db"))) {
            AdvisoryStore store = new AdvisoryStore(db);
            OsvImport.Result result = new OsvImport(store, Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC))
                    .importFrom(zip);
            assertThat(result.record().advisories()).isEqualTo(3);
            assertThat(result.unusable()).isEqualTo(1);
            assertThat(result.problems()).singleElement().asString().contains("broken.json: not JSON");
            assertThat(result.record().ecosystems()).isEqualTo("Debian Ubuntu");
            assertThat(result.record().sha256()).hasSize(64);
            assertThat(store.affecting("Ubuntu:22.04", "openssl")).extracting(AdvisoryRecord::id).containsExactly("USN-1");
            InstalledPackage libssl = new InstalledPackage(VersionScheme.DPKG, "libssl3", "3.0.20-1~deb12u2", "openssl", null, "amd64");
            List<Vulnerability> found = new VulnerabilityMatcher(store).match(OsRelease.parse("ID=debian\nVERSION_ID=\"12\"\n"),
                    List.of(libssl));
            assertThat(found).singleElement().satisfies(v -> {
                assertThat(v.id()).isEqualTo("DSA-1");
                assertThat(v.packageName()).isEqualTo("libssl3");
                assertThat(v.fixedVersion()).contains("3.0.21-1");
            });
        }
    }

    private static void put(ZipOutputStream out, String name, String json) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        OutputStream o = out;
        o.write(json.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
    }
}
