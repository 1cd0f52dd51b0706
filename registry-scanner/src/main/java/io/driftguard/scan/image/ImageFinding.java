package io.driftguard.scan.image;

import io.driftguard.core.event.Severity;
import java.util.Map;

/**
 * One thing an image scan found. {@code id} is the advisory id for a vulnerability, the rule for a
 * misconfiguration or secret; {@code details} name the place (layer digest, path) and versions.
 */
public record ImageFinding(Category category, Severity severity, String id, String title, Map<String, String> details) {
    public enum Category {
        VULNERABILITY, MISCONFIGURATION, SECRET, LAYER;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public ImageFinding {
        details = Map.copyOf(details);
    }
}
