package io.driftguard.daemon.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.event.Event;
import io.driftguard.core.event.Severity;
import java.time.format.DateTimeFormatter;

/**
 * An event in the JSON that Falco posts to its http_output and that Falcosidekick accepts
 * ({@code output, priority, rule, time, output_fields, source, hostname, tags}), so that
 * Falcosidekick's outputs (Slack, Loki, Elasticsearch...) take driftguard's events as they are.
 * {@code output_fields} uses Falco's field names where one exists ({@code container.id},
 * {@code proc.exepath}) and {@code driftguard.*} for the rest.
 */
final class FalcoPayload {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SOURCE = "driftguard";

    private FalcoPayload() {
    }

    static String toJson(Event event) {
        ObjectNode o = JSON.createObjectNode();
        o.put("output", event.message());
        o.put("priority", priority(event.severity()));
        o.put("rule", event.rule() != null ? event.rule() : "driftguard " + event.kind().wire());
        o.put("time", DateTimeFormatter.ISO_INSTANT.format(event.time()));
        o.put("source", SOURCE);
        o.put("hostname", event.host() == null ? "" : event.host());
        ArrayNode tags = o.putArray("tags");
        tags.add("driftguard").add(event.kind().wire()).add(event.action().wire());
        if (event.policy() != null) {
            tags.add(event.policy());
        }
        ObjectNode fields = o.putObject("output_fields");
        fields.put("driftguard.kind", event.kind().wire());
        fields.put("driftguard.action", event.action().wire());
        fields.put("driftguard.severity", event.severity().wire());
        putIfSet(fields, "driftguard.policy", event.policy());
        putIfSet(fields, "container.id", event.containerId());
        putIfSet(fields, "container.name", event.containerName());
        putIfSet(fields, "container.image", event.image());
        putIfSet(fields, "container.image.id", event.imageId());
        if (event.process() != null) {
            fields.put("proc.pid", event.process().pid());
            putIfSet(fields, "proc.exepath", event.process().path());
            if (event.process().args() != null) {
                fields.put("proc.cmdline", String.join(" ", event.process().args()));
            }
            if (event.process().uid() != null) {
                fields.put("user.uid", event.process().uid());
            }
        }
        if (event.repeats() != null) {
            fields.put("driftguard.count", event.repeats().count());
            fields.put("driftguard.first_time", event.repeats().first().toString());
        }
        event.details().forEach((key, value) -> fields.put("driftguard." + key, value));
        return o.toString();
    }

    /** Falco's priority names, matching the syslog levels journald files the events under. */
    static String priority(Severity severity) {
        return switch (severity) {
            case CRITICAL -> "Critical";
            case HIGH -> "Error";
            case MEDIUM -> "Warning";
            case LOW -> "Notice";
            case INFO -> "Informational";
        };
    }

    private static void putIfSet(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }
}
