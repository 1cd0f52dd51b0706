package io.driftguard.scan.run;

import io.driftguard.core.model.ImageRef;
import io.driftguard.scan.image.ImageFinding;
import io.driftguard.scan.image.ImageReport;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An image scan's findings as the run's findings: {@code registry} events with the image's digest. */
public final class ImageFindings {
    private ImageFindings() {
    }

    public static List<Finding> of(ImageRef ref, ImageReport report) {
        return of(ref.registry(), ref.repository(), ref.tag(), report);
    }

    /** For an image with no registry reference: a local Docker image's registry is {@link LocalImage#REGISTRY}. */
    public static List<Finding> of(String registry, String repository, String tag, ImageReport report) {
        return report.findings().stream().map(f -> of(registry, repository, tag, report, f)).toList();
    }

    private static Finding of(String registry, String repository, String tag, ImageReport report, ImageFinding f) {
        Map<String, String> details = new LinkedHashMap<>(f.details());
        details.put("digest", report.digest().toString());
        details.put("severity", f.severity().wire());
        details.put("id", f.id());
        FindingType type = switch (f.category()) {
            case VULNERABILITY -> FindingType.VULNERABILITY;
            case MISCONFIGURATION -> FindingType.MISCONFIGURATION;
            case SECRET -> FindingType.SECRET;
            case LAYER -> FindingType.LAYER;
        };
        return new Finding(type, registry, repository, tag, report.reference() + ": " + f.title(), details);
    }
}
