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
        return report.findings().stream().map(f -> of(ref, report, f)).toList();
    }

    static Finding of(ImageRef ref, ImageReport report, ImageFinding f) {
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
        return new Finding(type, ref.registry(), ref.repository(), ref.tag(), report.reference() + ": " + f.title(), details);
    }
}
