package io.driftguard.scan.cli;

import io.driftguard.core.event.Severity;
import io.driftguard.scan.config.ImagePolicy;
import io.driftguard.scan.image.ImageFinding;
import io.driftguard.scan.image.ImageReport;
import io.driftguard.scan.net.Printable;
import java.util.List;

/** The {@code image} command's text report: findings grouped by severity, worst first; image-sent text escaped. */
final class ImageTable {
    private ImageTable() {
    }

    static String of(ImageReport report, ImagePolicy policy) {
        StringBuilder out = new StringBuilder();
        out.append("Image: ").append(report.reference()).append('\n');
        out.append("Digest: ").append(report.digest()).append('\n');
        String os = report.sbom().os().prettyName().isEmpty() ? report.sbom().os().id() : report.sbom().os().prettyName();
        out.append("OS: ").append(os.isEmpty() ? "unknown" : Printable.of(os)).append("; ")
                .append(report.sbom().packages().size()).append(" packages; ")
                .append(report.sbom().layers().size()).append(" layers\n");
        for (String warning : report.warnings()) {
            out.append("WARNING: ").append(warning).append('\n');
        }
        List<ImageFinding> vulnerabilities = report.of(ImageFinding.Category.VULNERABILITY);
        out.append(vulnerabilities.isEmpty() ? "No vulnerabilities found\n" : "Vulnerabilities Found:\n");
        for (Severity severity : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)) {
            List<ImageFinding> group = report.findings().stream().filter(f -> f.severity() == severity).toList();
            if (group.isEmpty()) {
                continue;
            }
            out.append(severity.name()).append(" (").append(group.size()).append(")\n");
            for (ImageFinding f : group) {
                out.append("  - ").append(Printable.of(f.title())).append('\n');
            }
        }
        for (ImageReport.IgnoredFinding i : report.ignored()) {
            out.append("ignored until ").append(i.expires()).append(" (").append(Printable.of(i.reason())).append("): ")
                    .append(Printable.of(i.finding().title())).append('\n');
        }
        out.append("Summary: ");
        StringBuilder counts = new StringBuilder();
        for (Severity severity : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW)) {
            long n = report.findings().stream().filter(f -> f.severity() == severity).count();
            if (n > 0) {
                counts.append(counts.length() == 0 ? "" : ", ").append(n).append(' ').append(severity.wire());
            }
        }
        out.append(counts.length() == 0 ? "no findings" : counts).append("; fail_on = ")
                .append(policy.failOn().map(Severity::wire).orElse("none")).append('\n');
        return out.toString();
    }
}
