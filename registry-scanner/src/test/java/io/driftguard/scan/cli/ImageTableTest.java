package io.driftguard.scan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import io.driftguard.core.text.Terminal;
import io.driftguard.scan.config.ImagePolicy;
import io.driftguard.scan.image.ImageFinding;
import io.driftguard.scan.image.ImageReport;
import io.driftguard.scan.image.Sbom;
import io.driftguard.scan.packages.OsRelease;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageTableTest {
    private static final String EVIL = "libssl3\u001b]0;owned\u0007\u001b[31m";

    /** Findings with an image-chosen package name and path that carry escape sequences, and long titles. */
    private static ImageReport report() {
        List<ImageFinding> findings = List.of(
                new ImageFinding(ImageFinding.Category.MISCONFIGURATION, Severity.MEDIUM, "root-user",
                        "Misconfiguration: 'root' user allowed to run container", Map.of("user", "", "reason", "no User")),
                new ImageFinding(ImageFinding.Category.VULNERABILITY, Severity.CRITICAL, "DSA-9999-1",
                        "CVE-2099-0001 (Critical) - In package '" + EVIL + "' version 3.0.20-1~deb12u2 (source 'openssl'),"
                                + " fixed in 3.0.20-1~deb12u3 [DSA-9999-1]",
                        Map.of("package", EVIL, "installed_version", "3.0.20-1~deb12u2")),
                new ImageFinding(ImageFinding.Category.SECRET, Severity.HIGH, "private-key",
                        "Secret: private-key in /opt/app/\u001b[2Jkeys/" + "deep/".repeat(20) + "id_rsa",
                        Map.of("path", "/opt/app/\u001b[2Jkeys/" + "deep/".repeat(20) + "id_rsa")));
        return new ImageReport("registry.local/team/app:1", Digest.parse("sha256:" + "ab".repeat(32)),
                new Sbom(new OsRelease("debian", "12", "Debian GNU/Linux 12 (bookworm)"), List.of("sha256:" + "cd".repeat(32)), List.of()),
                findings, List.of(), List.of());
    }

    private static final ImagePolicy POLICY = new ImagePolicy(Optional.of(Severity.HIGH), Duration.ofDays(7), List.of());

    @Test
    void atEightyColumnsEveryLineFitsWithAHeaderAndTheWorstFirst() {
        String text = ImageTable.of(report(), POLICY, 80, false);
        assertThat(text.lines()).allMatch(l -> l.codePointCount(0, l.length()) <= 80, "fits 80 columns");
        List<String> lines = text.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("SEVERITY")).findFirst().orElseThrow());
        assertThat(lines.get(header)).contains("CATEGORY", "ID", "WHERE", "TITLE");
        assertThat(lines.get(header + 1)).startsWith("critical");
        assertThat(lines.get(header + 2)).startsWith("high");
        assertThat(lines.get(header + 3)).startsWith("medium");
        assertThat(text).contains("…").contains("Summary: 1 critical, 1 high, 1 medium; fail_on = high");
    }

    @Test
    void wideOrAPipeGetsEveryCellInFull() {
        String text = ImageTable.of(report(), POLICY, 0, false);
        assertThat(text).contains("deep/".repeat(20) + "id_rsa").contains("fixed in 3.0.20-1~deb12u3 [DSA-9999-1]").doesNotContain("…");
    }

    @Test
    void imageSentTextIsEscapedAndNoEscapeCodeAppearsWithoutColour() {
        for (int width : new int[] {0, 80}) {
            String text = ImageTable.of(report(), POLICY, width, false);
            assertThat(text).doesNotContain("\u001b").doesNotContain("\u0007").contains("libssl3\\x1b]0;owned\\x07");
        }
        assertThat(Terminal.colour(true, Map.of("NO_COLOR", "1"))).isFalse();
        assertThat(Terminal.colour(false, Map.of())).isFalse();
    }

    @Test
    void onAColourTerminalOnlyTheSeverityCellsAreColoured() {
        String text = ImageTable.of(report(), POLICY, 80, true);
        assertThat(text).contains("\u001b[1;31mcritical\u001b[0m", "\u001b[31mhigh\u001b[0m", "\u001b[33mmedium\u001b[0m");
        assertThat(text.replaceAll("\u001b\\[[0-9;]*m", "")).doesNotContain("\u001b");
    }
}
