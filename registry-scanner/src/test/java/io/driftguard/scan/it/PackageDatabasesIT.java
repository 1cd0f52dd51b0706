package io.driftguard.scan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.core.model.Digest;
import io.driftguard.core.testing.Prerequisites;
import io.driftguard.scan.registry.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An rpm database made by the real rpm (a package built by rpmbuild, recorded with --justdb) and an
 * apk database written by the test, each in an image on a real registry, read and matched against
 * OSV advisories of their ecosystems.
 */
class PackageDatabasesIT {
    private static LocalRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.start("");
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void readsAnRpmSqliteDatabaseMadeByRpm() throws Exception {
        Prerequisites.requireCommand("rpmbuild");
        Path top = dir.resolve("rpmbuild");
        Files.createDirectories(top.resolve("SPECS"));
        Files.writeString(top.resolve("SPECS/probe.spec"), """
                Name: driftguard-probe
                Epoch: 2
                Version: 1.2.3
                Release: 4.el9
                Summary: test package
                License: MIT
                BuildArch: noarch
                %description
                A package with no files, for the scanner's rpm test.
                %files
                """);
        Commands.run("rpmbuild", "-bb", "--quiet", "--define", "_topdir " + top, top.resolve("SPECS/probe.spec").toString());
        Path rpm = top.resolve("RPMS/noarch/driftguard-probe-1.2.3-4.el9.noarch.rpm");
        Path root = Files.createDirectories(dir.resolve("root"));
        Path db = Files.createDirectories(root.resolve("var/lib/rpm"));
        Commands.run("rpm", "--dbpath", db.toString(), "--initdb");
        Commands.run("rpm", "--dbpath", db.toString(), "-i", "--justdb", "--nodeps", "--noscripts", rpm.toString());
        assertThat(db.resolve("rpmdb.sqlite")).exists();
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "ID=\"rocky\"\nVERSION_ID=\"9.3\"\nPRETTY_NAME=\"Rocky Linux 9.3\"\n");
        push("test/rocky", root);

        JsonNode report = scan("test/rocky", Osv.advisory("RLSA-2099:0001", "CVE-2099-0200", "Rocky Linux:9", "driftguard-probe",
                "0", "2:1.2.3-5.el9", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
        assertThat(report.path("packages")).singleElement().satisfies(p -> {
            assertThat(p.path("format").asText()).isEqualTo("rpm");
            assertThat(p.path("name").asText()).isEqualTo("driftguard-probe");
            assertThat(p.path("version").asText()).isEqualTo("2:1.2.3-4.el9");
            assertThat(p.path("source").asText()).isEqualTo("driftguard-probe");
            assertThat(p.path("architecture").asText()).isEqualTo("noarch");
        });
        assertThat(ImageScanIT.category(report, "vulnerability")).singleElement().satisfies(v -> {
            assertThat(v.path("severity").asText()).isEqualTo("critical");
            assertThat(v.path("details").path("fixed_version").asText()).isEqualTo("2:1.2.3-5.el9");
        });
    }

    @Test
    void readsAnApkDatabaseByOrigin() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.createDirectories(root.resolve("lib/apk/db"));
        Files.writeString(root.resolve("lib/apk/db/installed"), """
                C:Q1abc=
                P:libcrypto3
                V:3.1.4-r5
                A:x86_64
                S:1739912
                o:openssl
                F:usr/lib
                R:libcrypto.so.3

                P:busybox
                V:1.36.1-r15
                A:x86_64
                o:busybox
                """);
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/os-release"), "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n");
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:::::\napp::19000:0:::::\n");
        push("test/alpine", root);

        JsonNode report = scan("test/alpine", Osv.advisory("ALPINE-CVE-2099-0300", "CVE-2099-0300", "Alpine:v3.19", "openssl",
                "0", "3.1.4-r6", "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N"));
        assertThat(report.path("packages")).extracting(p -> p.path("name").asText() + " " + p.path("version").asText()
                + " " + p.path("source").asText()).containsExactly("libcrypto3 3.1.4-r5 openssl", "busybox 1.36.1-r15 busybox");
        assertThat(ImageScanIT.category(report, "vulnerability")).singleElement().satisfies(v -> {
            assertThat(v.path("details").path("package").asText()).isEqualTo("libcrypto3");
            assertThat(v.path("details").path("source_package").asText()).isEqualTo("openssl");
            assertThat(v.path("severity").asText()).isEqualTo("medium");
        });
        assertThat(ImageScanIT.category(report, "misconfiguration")).extracting(m -> m.path("id").asText())
                .containsExactlyInAnyOrder("empty-password", "root-user");
    }

    private JsonNode scan(String repository, String advisory) throws Exception {
        Path osv = Files.createDirectories(dir.resolve("osv"));
        Files.writeString(osv.resolve("advisory.json"), advisory);
        Scanner scanner = new Scanner(dir, "fail_on = \"none\"", "");
        assertThat(scanner.command("db", "import", "--config", scanner.config().toString(), osv.toString()).code()).isZero();
        Scanner.Result result = scanner.cli("image", registry.host() + "/" + repository + ":1", "--json");
        assertThat(result.code()).as(result.toString()).isZero();
        return result.report();
    }

    /** Pushes a one-layer image of {@code root} with a config that sets no User. */
    private static void push(String repository, Path root) throws Exception {
        LayerTar layer = LayerTar.of(root);
        Digest layerDigest = Digest.sha256(layer.gzip());
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + Digest.sha256(layer.tar()) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Digest configDigest = Digest.sha256(config);
        TestPusher pusher = new TestPusher(registry.url());
        pusher.pushBlob(repository, layerDigest, layer.gzip());
        pusher.pushBlob(repository, configDigest, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layerDigest
                + "\",\"size\":" + layer.gzip().length + "}]}").getBytes(StandardCharsets.UTF_8);
        pusher.pushManifest(repository, "1", manifest, MediaTypes.OCI_MANIFEST);
    }

}
