package io.driftguard.scan.cli;

import io.driftguard.core.event.Severity;
import io.driftguard.core.text.Ansi;
import io.driftguard.core.text.Printable;
import io.driftguard.core.text.TextTable;
import io.driftguard.scan.config.ImagePolicy;
import io.driftguard.scan.image.ImageFinding;
import io.driftguard.scan.image.ImageReport;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The {@code image} command's text report: a few lines about the image, then its findings as a
 * table, worst first, with a severity column (coloured on a terminal) and the place each was found
 * (package and version, or path); cut to the terminal's width as {@code driftguard events} is.
 * Image-sent text (package names, paths, titles) is escaped by the table, and in the lines above it.
 */
final class ImageTable {
    private static final List<Severity> COUNTED = List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW);

    private ImageTable() {
    }

    /** The report for a terminal of {@code width} columns (0: every cell in full), coloured when {@code colour}. */
    static String of(ImageReport report, ImagePolicy policy, int width, boolean colour) {
        StringBuilder out = new StringBuilder();
        out.append("Image: ").append(Printable.of(report.reference())).append('\n');
        out.append("Digest: ").append(report.digest()).append('\n');
        String os = report.sbom().os().prettyName().isEmpty() ? report.sbom().os().id() : report.sbom().os().prettyName();
        out.append("OS: ").append(os.isEmpty() ? "unknown" : Printable.of(os)).append("; ")
                .append(report.sbom().packages().size()).append(" packages; ")
                .append(report.sbom().layers().size()).append(" layers\n");
        for (String warning : report.warnings()) {
            out.append("WARNING: ").append(Printable.of(warning)).append('\n');
        }
        if (report.findings().isEmpty()) {
            out.append("No findings\n");
        } else {
            TextTable table = TextTable.of("SEVERITY", "CATEGORY", "ID", "WHERE", "TITLE").colour(0, Ansi::severityCode);
            report.findings().stream().sorted(Comparator.comparing(ImageFinding::severity))
                    .forEach(f -> table.row(f.severity().wire(), f.category().wire(), f.id(), where(f.details()), f.title()));
            out.append(table.render(width, colour));
        }
        if (!report.ignored().isEmpty()) {
            TextTable ignored = TextTable.of("IGNORED UNTIL", "ID", "REASON", "TITLE");
            report.ignored().forEach(i -> ignored.row(i.expires(), i.finding().id(), i.reason(), i.finding().title()));
            out.append(ignored.render(width, colour));
        }
        StringBuilder counts = new StringBuilder();
        for (Severity severity : COUNTED) {
            long n = report.findings().stream().filter(f -> f.severity() == severity).count();
            if (n > 0) {
                counts.append(counts.length() == 0 ? "" : ", ").append(n).append(' ').append(severity.wire());
            }
        }
        out.append("Summary: ").append(counts.length() == 0 ? "no findings" : counts).append("; fail_on = ")
                .append(policy.failOn().map(Severity::wire).orElse("none")).append('\n');
        return out.toString();
    }

    /** Where a finding is: the package and its installed version, else the path, else nothing. */
    private static String where(Map<String, String> details) {
        String pkg = details.get("package");
        if (pkg != null && !pkg.isEmpty()) {
            String version = details.getOrDefault("installed_version", "");
            return version.isEmpty() ? pkg : pkg + " " + version;
        }
        return details.get("path");
    }
}
