package io.driftguard.scan.image;

import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import java.util.List;
import java.util.Optional;

/**
 * What scanning one image found: its SBOM, the findings that count, those left out by an ignore
 * (with the reason), and warnings (old or missing advisory database, expired ignores).
 */
public record ImageReport(String reference, Digest digest, Sbom sbom, List<ImageFinding> findings,
                          List<IgnoredFinding> ignored, List<String> warnings) {
    /** A finding an ignore applies to. */
    public record IgnoredFinding(ImageFinding finding, String reason, String expires) {
    }

    public ImageReport {
        findings = List.copyOf(findings);
        ignored = List.copyOf(ignored);
        warnings = List.copyOf(warnings);
    }

    /** The highest severity among the findings that count. */
    public Optional<Severity> worst() {
        return findings.stream().map(ImageFinding::severity).min(Enum::compareTo);
    }

    public List<ImageFinding> of(ImageFinding.Category category) {
        return findings.stream().filter(f -> f.category() == category).toList();
    }
}
