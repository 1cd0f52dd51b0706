package io.driftguard.scan.layer;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.scan.packages.InstalledPackage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerReaderTest {
    private static final TarLimits SMALL = new TarLimits(1 << 20, 100, 4096, 64 << 10, 64 << 10);
    private static final String STATUS = """
            Package: libssl3
            Status: install ok installed
            Architecture: amd64
            Source: openssl
            Version: 3.0.20-1~deb12u2

            Package: removed-one
            Status: deinstall ok config-files
            Version: 1.0

            Package: libc6
            Status: install ok installed
            Architecture: amd64
            Source: glibc (2.36-9+deb12u10)
            Version: 2.36-9+deb12u10
            """;
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\n" + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7".repeat(2) + "\n-----END PRIVATE KEY-----\n";

    /** Counts what the reader takes from the blob, to show it always reads to the end. */
    private static final class Drained extends ByteArrayInputStream {
        Drained(byte[] b) {
            super(b);
        }

        boolean atEnd() {
            return pos == count;
        }
    }

    private static LayerContent read(byte[] blob) throws IOException {
        Drained in = new Drained(blob);
        LayerContent content = new LayerReader(SMALL).read(in);
        assertThat(in.atEnd()).as("blob read to its end").isTrue();
        return content;
    }

    @Test
    void readsPackagesOsReleaseSecretsSetuidAndWhiteoutsFromAGzipLayer() throws IOException {
        LayerContent c = read(new TarBuilder()
                .file("./var/lib/dpkg/status", STATUS)
                .symlink("etc/os-release", "../usr/lib/os-release")
                .file("usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")
                .file("/root/.ssh/id_rsa", KEY)
                .file("usr/bin/su", new byte[10], 04755)
                .file("opt/.wh.old", "")
                .file("srv/.wh..wh..opq", "")
                .gzip());
        assertThat(c.problems()).isEmpty();
        assertThat(c.packageDatabases().get("var/lib/dpkg/status")).extracting(InstalledPackage::name, InstalledPackage::source,
                InstalledPackage::sourceVersion).containsExactly(
                org.assertj.core.groups.Tuple.tuple("libssl3", "openssl", "3.0.20-1~deb12u2"),
                org.assertj.core.groups.Tuple.tuple("libc6", "glibc", "2.36-9+deb12u10"));
        assertThat(c.links()).containsEntry("etc/os-release", "usr/lib/os-release");
        assertThat(c.secrets()).extracting(SecretHit::rule, SecretHit::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("private-key", "root/.ssh/id_rsa"));
        assertThat(c.secrets().get(0).excerpt()).isEqualTo("-----BEGIN PRIVATE KEY-----...");
        assertThat(c.setuidFiles()).containsExactly("usr/bin/su 4755");
        assertThat(c.whiteouts()).containsExactly("opt/old");
        assertThat(c.opaqueDirectories()).containsExactly("srv");
    }

    @Test
    void laterLayersAndWhiteoutsApplyAndADeletedSecretIsStillReported() throws IOException {
        LayerContent base = read(new TarBuilder().file("var/lib/dpkg/status", STATUS)
                .symlink("etc/os-release", "../usr/lib/os-release").file("usr/lib/os-release", "ID=debian\nVERSION_ID=12\n").tar());
        LayerContent added = read(new TarBuilder().file("var/lib/dpkg/status", STATUS.replace("3.0.20-1~deb12u2", "3.0.21-1"))
                .file("root/key.pem", KEY).tar());
        LayerContent deleted = read(new TarBuilder().file("root/.wh.key.pem", "").tar());
        ImageView view = ImageView.of(List.of(new AbstractMap.SimpleEntry<>("sha256:a", base),
                new AbstractMap.SimpleEntry<>("sha256:b", added), new AbstractMap.SimpleEntry<>("sha256:c", deleted)));
        assertThat(view.packages()).extracting(InstalledPackage::version).containsExactly("3.0.21-1", "2.36-9+deb12u10");
        assertThat(view.osRelease().ecosystem()).contains("Debian:12");
        assertThat(view.secrets()).singleElement().satisfies(s -> {
            assertThat(s.layer()).isEqualTo("sha256:b");
            assertThat(s.deletedLater()).isTrue();
        });
        LayerContent wipe = read(new TarBuilder().file("var/lib/dpkg/.wh.status", "").tar());
        assertThat(ImageView.of(List.of(Map.entry("sha256:a", base), Map.entry("sha256:d", wipe))).packages()).isEmpty();
    }

    @Test
    void hostileTarsEndWithAProblemNotACrash() throws IOException {
        assertThat(read(new TarBuilder().file("../../etc/passwd", "x").tar()).problems())
                .singleElement().asString().contains("leaves the image root");
        assertThat(read(new TarBuilder().raw("huge-pax", 'x', 1 << 30, new byte[512]).tar()).problems())
                .singleElement().asString().contains("extended tar header ('x') of 1073741824 bytes");
        assertThat(read(new TarBuilder().raw("long-name", 'L', 1L << 40, new byte[512]).tar()).problems())
                .singleElement().asString().contains("extended tar header ('L')");
        // A sparse file claiming a terabyte with a few stored bytes ends the tar early.
        assertThat(read(new TarBuilder().raw("sparse", 'S', 1L << 40, new byte[512]).tar()).problems())
                .singleElement().asString().contains("not a complete tar");
        TarBuilder many = new TarBuilder();
        for (int i = 0; i < 150; i++) {
            many.file("f" + i, "");
        }
        assertThat(read(many.tar()).problems()).singleElement().asString().contains("more than 100 tar entries");
        byte[] notTar = new byte[4096];
        new java.util.Random(1).nextBytes(notTar);
        assertThat(read(notTar).problems()).singleElement().asString().contains("tar header");
    }

    @Test
    void aTarBombStopsAtTheDecompressedLimit() throws IOException {
        byte[] bomb = new TarBuilder().raw("zeros", '0', 64L << 20, new byte[0]).gzipWithZeros(64 << 20);
        assertThat(bomb.length).isLessThan(1 << 20);
        LayerContent c = read(bomb);
        assertThat(c.problems()).singleElement().asString().contains("decompresses to more than 1048576 bytes");
    }

    @Test
    void paxPathsAndOversizedTrackedFiles() throws IOException {
        LayerContent c = read(new TarBuilder().pax("pax", "path", "lib/apk/db/installed")
                .file("ignored-name", "P:busybox\nV:1.36.1-r2\nA:x86_64\no:busybox\n\nP:libcrypto3\nV:3.1.4-r5\no:openssl\n")
                .tar());
        assertThat(c.packageDatabases().get("lib/apk/db/installed")).extracting(InstalledPackage::name, InstalledPackage::source)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("busybox", "busybox"),
                        org.assertj.core.groups.Tuple.tuple("libcrypto3", "openssl"));
        LayerContent big = read(new TarBuilder().file("etc/passwd", new byte[100 << 10], 0644).tar());
        assertThat(big.problems()).singleElement().asString().contains("etc/passwd is 102400 bytes");
    }

}
