package io.driftguard.scan.run;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import java.util.Map;
import java.util.TreeMap;

/**
 * One thing a run found, naming where: registry always, repository and tag when known (null
 * otherwise). {@code details} carries the digests involved.
 */
public record Finding(FindingType type, String registry, String repository, String tag, String message,
                      Map<String, String> details) {

    public Finding {
        details = Map.copyOf(details);
    }

    public static Finding error(String registry, String repository, String tag, String message) {
        return new Finding(FindingType.ERROR, registry, repository, tag, message, Map.of());
    }

    /** registry/repository:tag, as far as known. */
    public String place() {
        return registry + (repository == null ? "" : "/" + repository) + (tag == null ? "" : ":" + tag);
    }

    /** The {@code registry} event: details hold finding, registry, repository, tag and the digests. */
    public Event toEvent() {
        Map<String, String> all = new TreeMap<>(details);
        all.put("finding", type.wire());
        all.put("registry", registry);
        if (repository != null) {
            all.put("repository", repository);
        }
        if (tag != null) {
            all.put("tag", tag);
        }
        // Image findings carry their own severity (an advisory's); the others have their type's.
        Severity severity = details.containsKey("severity") ? Severity.fromWire(details.get("severity")) : type.severity();
        Event.Builder builder = Event.builder(EventKind.REGISTRY, type.action(), severity).message(message);
        if (repository != null) {
            builder.container(null, null, place(), details.get("digest"));
        }
        all.forEach(builder::detail);
        return builder.build();
    }
}
