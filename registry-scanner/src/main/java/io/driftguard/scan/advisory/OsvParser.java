package io.driftguard.scan.advisory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.event.Severity;
import io.driftguard.scan.store.AdvisoryRecord;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads one OSV advisory (ossf.github.io/osv-schema): id, aliases, summary, modified, and per
 * affected package its ecosystem, name, ranges and versions. The severity is the advisory's own
 * word where it gives one (database_specific or ecosystem_specific severity, Debian's urgency,
 * Ubuntu's priority), else the rating of its CVSS 3 vector; an advisory with none counts as medium.
 */
public final class OsvParser {
    static final ObjectMapper JSON = new ObjectMapper();

    private OsvParser() {
    }

    /** Throws with a message naming what is missing; {@code where} names the file. */
    public static AdvisoryRecord parse(byte[] json, String where) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IOException(where + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        String id = root.path("id").asText("");
        if (id.isEmpty()) {
            throw new IOException(where + ": OSV advisory without an id");
        }
        List<String> aliases = new ArrayList<>();
        root.path("aliases").forEach(a -> aliases.add(a.asText()));
        Instant modified;
        try {
            modified = Instant.parse(root.path("modified").asText("1970-01-01T00:00:00Z"));
        } catch (DateTimeParseException e) {
            throw new IOException(where + ": advisory " + id + " has an invalid modified time '" + root.path("modified").asText() + "'");
        }
        List<AdvisoryRecord.Affected> affected = new ArrayList<>();
        Optional<Severity> worded = word(root.path("database_specific").path("severity"));
        for (JsonNode a : root.path("affected")) {
            String ecosystem = a.path("package").path("ecosystem").asText("");
            String name = a.path("package").path("name").asText("");
            if (ecosystem.isEmpty() || name.isEmpty()) {
                continue;
            }
            ObjectNode kept = JSON.createObjectNode();
            kept.set("ranges", a.path("ranges"));
            kept.set("versions", a.path("versions"));
            affected.add(new AdvisoryRecord.Affected(ecosystem, name, JSON.writeValueAsString(kept)));
            if (worded.isEmpty()) {
                JsonNode specific = a.path("ecosystem_specific");
                worded = word(specific.path("severity")).or(() -> word(specific.path("urgency")))
                        .or(() -> word(a.path("database_specific").path("severity")));
            }
        }
        Optional<Severity> severity = worded;
        for (JsonNode s : root.path("severity")) {
            String type = s.path("type").asText();
            String score = s.path("score").asText();
            if (severity.isEmpty() && type.equals("Ubuntu")) {
                severity = word(s.path("score"));
            }
            if (severity.isEmpty() && type.startsWith("CVSS_V3")) {
                severity = Cvss3.baseScore(score).map(Cvss3::rating);
            }
        }
        String summary = root.path("summary").asText(root.path("details").asText(""));
        summary = summary.length() > 300 ? summary.substring(0, 300) + "..." : summary;
        return new AdvisoryRecord(id, aliases, summary, severity.orElse(Severity.MEDIUM).wire(), modified, affected);
    }

    /** Distribution words for severity, each mapped to low, medium, high or critical. */
    static Optional<Severity> word(JsonNode node) {
        if (!node.isTextual()) {
            return Optional.empty();
        }
        String w = node.asText().toLowerCase(Locale.ROOT).replace("*", "").strip();
        return Optional.ofNullable(switch (w) {
            case "critical" -> Severity.CRITICAL;
            case "high", "important" -> Severity.HIGH;
            case "medium", "moderate" -> Severity.MEDIUM;
            case "low", "negligible", "unimportant", "not yet assigned" -> Severity.LOW;
            default -> null;
        });
    }
}
