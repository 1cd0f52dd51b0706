package io.driftguard.scan.advisory;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.scan.version.VersionScheme;
import java.io.IOException;
import java.util.Optional;

/**
 * Whether an installed version lies in an OSV affected entry: listed in {@code versions}, or inside
 * an ECOSYSTEM range, read as OSV's evaluation describes (events in order: introduced opens, fixed
 * and limit close before, last_affected closes after). Yields the fixed version when one applies.
 */
final class AffectedCheck {
    /** Affected, and the version that fixes it (empty: no fix yet). */
    record Hit(Optional<String> fixed) {
    }

    private AffectedCheck() {
    }

    static Optional<Hit> check(String affectedJson, String version, VersionScheme scheme) throws IOException {
        JsonNode affected = OsvParser.JSON.readTree(affectedJson);
        for (JsonNode v : affected.path("versions")) {
            if (v.asText().equals(version)) {
                return Optional.of(new Hit(fixedOf(affected, scheme, version)));
            }
        }
        for (JsonNode range : affected.path("ranges")) {
            if (!range.path("type").asText().equals("ECOSYSTEM")) {
                continue;
            }
            String introduced = null;
            for (JsonNode event : range.path("events")) {
                if (event.has("introduced")) {
                    introduced = event.path("introduced").asText();
                } else if (introduced != null && (event.has("fixed") || event.has("limit"))) {
                    String end = event.has("fixed") ? event.path("fixed").asText() : event.path("limit").asText();
                    if (atLeast(version, introduced, scheme) && scheme.compare(version, end) < 0) {
                        return Optional.of(new Hit(event.has("fixed") ? Optional.of(end) : Optional.empty()));
                    }
                    introduced = null;
                } else if (introduced != null && event.has("last_affected")) {
                    if (atLeast(version, introduced, scheme) && scheme.compare(version, event.path("last_affected").asText()) <= 0) {
                        return Optional.of(new Hit(Optional.empty()));
                    }
                    introduced = null;
                }
            }
            if (introduced != null && atLeast(version, introduced, scheme)) {
                return Optional.of(new Hit(Optional.empty()));
            }
        }
        return Optional.empty();
    }

    private static boolean atLeast(String version, String introduced, VersionScheme scheme) {
        return introduced.equals("0") || scheme.compare(version, introduced) >= 0;
    }

    /** For a version listed outright, the first fixed event above it, if any. */
    private static Optional<String> fixedOf(JsonNode affected, VersionScheme scheme, String version) {
        for (JsonNode range : affected.path("ranges")) {
            for (JsonNode event : range.path("events")) {
                if (event.has("fixed") && scheme.compare(version, event.path("fixed").asText()) < 0) {
                    return Optional.of(event.path("fixed").asText());
                }
            }
        }
        return Optional.empty();
    }
}
