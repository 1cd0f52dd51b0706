package io.driftguard.scan.store;

import java.time.Instant;
import java.util.List;

/**
 * One OSV advisory as the store keeps it: {@code affected} holds, per affected package, the
 * ecosystem, the package name and that package's ranges and versions as OSV JSON.
 */
public record AdvisoryRecord(String id, List<String> aliases, String summary, String severity, Instant modified,
                             List<Affected> affected) {
    public record Affected(String ecosystem, String name, String json) {
    }

    public AdvisoryRecord {
        aliases = List.copyOf(aliases);
        affected = List.copyOf(affected);
    }
}
