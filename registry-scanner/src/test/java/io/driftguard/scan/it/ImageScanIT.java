package io.driftguard.scan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.core.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image scans against a real docker-registry holding the Debian 12 image built here with
 * debootstrap, pushed by skopeo; the advisories are an OSV folder written by the test against the
 * versions the image's own dpkg reports.
 */
class ImageScanIT {
    static final String DEBIAN = "driftguard-test/debian12-systemd:1";
    private static LocalRegistry registry;
    static String libssl3;

    @TempDir
    Path dir;

    @BeforeAll
    static void pushDebian() throws Exception {
        Prerequisites.requireDocker();
        Prerequisites.requireImage(DEBIAN);
        Prerequisites.requireCommand("skopeo");
        registry = LocalRegistry.start("");
        Commands.run("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "docker-daemon:" + DEBIAN,
                "docker://" + registry.host() + "/test/debian:12");
        libssl3 = Commands.run("docker", "run", "--rm", "--network", "none", DEBIAN,
                "dpkg-query", "-W", "-f=${Version} ${source:Package}", "libssl3").strip();
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void findsTheOpensslAdvisoryByItsSourcePackageWithBothVersionsAndSeverity() throws Exception {
        String installed = libssl3.split(" ")[0];
        assertThat(libssl3.split(" ")[1]).isEqualTo("openssl");
        String fixed = installed + ".1";
        Path osv = Files.createDirectories(dir.resolve("osv"));
        Files.writeString(osv.resolve("DSA-9999-1.json"), Osv.advisory("DSA-9999-1", "CVE-2099-0001", "Debian:12", "openssl",
                "0", fixed, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"));
        Files.writeString(osv.resolve("DSA-9998-1.json"), Osv.advisory("DSA-9998-1", "CVE-2099-0002", "Debian:12", "openssl",
                "0", "3.0.11-1~deb12u1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
        Files.writeString(osv.resolve("DSA-9997-1.json"), Osv.advisory("DSA-9997-1", "CVE-2099-0003", "Debian:11", "openssl",
                "0", fixed, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
        Scanner scanner = new Scanner(dir, "");
        Scanner.Result imported = scanner.command("db", "import", "--config", scanner.config().toString(), osv.toString());
        assertThat(imported.code()).as(imported.toString()).isZero();
        assertThat(imported.out()).contains("imported 3 advisories (Debian)");
        assertThat(scanner.command("db", "status", "--config", scanner.config().toString()).out()).contains("Debian:12: 2").contains(osv.toString()).contains("age: 0 days");

        String ref = registry.host() + "/test/debian:12";
        Scanner.Result scan = scanner.cli("image", ref, "--json");
        assertThat(scan.code()).as(scan.toString()).isEqualTo(1);
        JsonNode report = scan.report();
        assertThat(report.path("os").path("id").asText()).isEqualTo("debian");
        assertThat(report.path("os").path("version_id").asText()).isEqualTo("12");
        assertThat(report.path("packages").size()).isGreaterThan(50);
        List<JsonNode> vulnerabilities = category(report, "vulnerability");
        assertThat(vulnerabilities).extracting(v -> v.path("id").asText()).containsExactly("DSA-9999-1");
        JsonNode v = vulnerabilities.get(0);
        assertThat(v.path("severity").asText()).isEqualTo("high");
        assertThat(v.path("details").path("cve").asText()).isEqualTo("CVE-2099-0001");
        assertThat(v.path("details").path("package").asText()).isEqualTo("libssl3");
        assertThat(v.path("details").path("source_package").asText()).isEqualTo("openssl");
        assertThat(v.path("details").path("installed_version").asText()).isEqualTo(installed);
        assertThat(v.path("details").path("fixed_version").asText()).isEqualTo(fixed);
        assertThat(category(report, "misconfiguration")).extracting(m -> m.path("id").asText()).contains("root-user");
        assertThat(category(report, "secret")).isEmpty();

        Scanner.Result table = scanner.cli("image", ref);
        assertThat(table.code()).as(table.toString()).isEqualTo(1);
        // A pipe: the table in full, no colour.
        assertThat(table.out()).contains("Image: " + ref).containsPattern("(?m)^SEVERITY +CATEGORY +ID +WHERE +TITLE$")
                .containsPattern("(?m)^high +vulnerability +DSA-9999-1 +libssl3 " + java.util.regex.Pattern.quote(installed)
                        + " +CVE-2099-0001 \\(High\\) - In package 'libssl3' version " + java.util.regex.Pattern.quote(installed)
                        + " \\(source 'openssl'\\), fixed in " + java.util.regex.Pattern.quote(fixed) + " \\[DSA-9999-1\\]$")
                .containsPattern("(?m)^medium +misconfiguration +root-user +- +Misconfiguration: 'root' user allowed to run container$")
                .doesNotContain("\u001b");
    }

    /**
     * The Debian image approved under a tag, then rebuilt with base-files changed and a private key
     * added by one layer and deleted by the next: the drift finding lists the package change, the
     * vulnerability new in the rebuilt image and the deleted secret.
     */
    @Test
    void driftFindingListsWhatChangedBetweenTheApprovedAndTheNewDigest() throws Exception {
        String status = Commands.run("docker", "run", "--rm", "--network", "none", DEBIAN, "cat", "/var/lib/dpkg/status");
        String baseFiles = Commands.run("docker", "run", "--rm", "--network", "none", DEBIAN,
                "dpkg-query", "-W", "-f=${Version}", "base-files").strip();
        Path osv = Files.createDirectories(dir.resolve("osv"));
        Files.writeString(osv.resolve("DEBIAN-CVE-2099-0100.json"), Osv.advisory("DEBIAN-CVE-2099-0100", "CVE-2099-0100",
                "Debian:12", "base-files", "90", "99.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N"));
        RegistryImage base = RegistryImage.fetch(registry.url(), "test/debian", "12");
        base.pushAs(registry.url(), "app");
        Scanner scanner = new Scanner(dir, "fail_on = \"critical\"", """
                [[registry]]
                url = "%s"
                repositories = ["test/debian"]
                include_tags = "app"
                """.formatted(registry.url()));
        assertThat(scanner.command("db", "import", "--config", scanner.config().toString(), osv.toString()).code()).isZero();
        Scanner.Result first = scanner.run();
        assertThat(first.code()).as(first.toString()).isZero();
        assertThat(first.findings("misconfiguration")).extracting(f -> f.path("details").path("id").asText()).contains("root-user");
        String tag = registry.host() + "/test/debian:app";
        assertThat(scanner.cli("approve", tag).code()).isZero();

        Path layer = Files.createDirectories(dir.resolve("layer2"));
        Files.createDirectories(layer.resolve("var/lib/dpkg"));
        Files.writeString(layer.resolve("var/lib/dpkg/status"), status.replace("Version: " + baseFiles + "\n", "Version: 99.0\n"));
        Files.createDirectories(layer.resolve("root/.ssh"));
        Commands.run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                "-out", layer.resolve("root/.ssh/id_rsa").toString());
        Path deleting = Files.createDirectories(dir.resolve("layer3/root/.ssh"));
        Files.writeString(deleting.resolve(".wh.id_rsa"), "");
        RegistryImage rebuilt = base.withLayers(LayerTar.of(layer), LayerTar.of(dir.resolve("layer3")));
        rebuilt.pushAs(registry.url(), "app");

        Scanner.Result drifted = scanner.run();
        assertThat(drifted.code()).as(drifted.toString()).isEqualTo(1);
        JsonNode drift = drifted.findings("drift").get(0).path("details");
        assertThat(drift.path("approved_digest").asText()).isEqualTo(base.digest());
        assertThat(drift.path("digest").asText()).isEqualTo(rebuilt.digest());
        assertThat(drift.path("packages_upgraded").asText()).isEqualTo("base-files " + baseFiles + " -> 99.0");
        assertThat(drift.path("layers_added").asText()).isEqualTo(String.join("; ", rebuilt.addedLayers()));
        assertThat(drift.path("new_vulnerabilities").asText()).startsWith("CVE-2099-0100 (Medium) - In package 'base-files' version 99.0");
        assertThat(drift.path("new_secrets").asText()).contains("Secret: private-key in layer " + rebuilt.addedLayers().get(0)
                + " at root/.ssh/id_rsa (deleted by a later layer");
        assertThat(drifted.findings("secret")).singleElement().satisfies(f -> {
            assertThat(f.path("details").path("deleted_by_later_layer").asText()).isEqualTo("true");
            assertThat(f.path("details").path("match").asText()).isEqualTo("-----BEGIN PRIVATE KEY-----...");
        });
        assertThat(drifted.findings("vulnerability")).extracting(f -> f.path("details").path("id").asText())
                .containsExactly("DEBIAN-CVE-2099-0100");
    }

    static List<JsonNode> category(JsonNode report, String category) {
        List<JsonNode> found = new ArrayList<>();
        report.path("findings").forEach(f -> {
            if (f.path("category").asText().equals(category)) {
                found.add(f);
            }
        });
        return found;
    }
}
