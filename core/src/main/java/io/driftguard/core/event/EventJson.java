package io.driftguard.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The event's JSON form: one object per line, snake_case keys, absent fields left out. */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {
    }

    public static String toJson(Event event) {
        return toJson(event, null);
    }

    /**
     * The event with the {@code [daemon] host_id} of the host that recorded it after its host name
     * ({@code host_id}, left out when null), as {@code driftguard events} prints a stored one.
     */
    public static String toJson(Event event, String hostId) {
        try {
            return MAPPER.writeValueAsString(toTree(event, hostId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event cannot be written as JSON", e);
        }
    }

    /** The JSON form as a tree, for a report that holds many events (no text to parse back). */
    public static ObjectNode toTree(Event event, String hostId) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("time", event.time().toString());
        putIfSet(o, "host", event.host());
        putIfSet(o, "host_id", hostId);
        o.put("kind", event.kind().wire());
        o.put("action", event.action().wire());
        o.put("severity", event.severity().wire());
        putIfSet(o, "container_id", event.containerId());
        putIfSet(o, "container_name", event.containerName());
        putIfSet(o, "image", event.image());
        putIfSet(o, "image_id", event.imageId());
        putIfSet(o, "policy", event.policy());
        putIfSet(o, "rule", event.rule());
        ProcessInfo process = event.process();
        if (process != null) {
            ObjectNode p = o.putObject("process");
            p.put("pid", process.pid());
            putIfSet(p, "path", process.path());
            if (process.args() != null) {
                ArrayNode args = p.putArray("args");
                process.args().forEach(args::add);
            }
            if (process.uid() != null) {
                p.put("uid", process.uid());
            }
            putIfSet(p, "user", process.user());
            if (process.parent() != null) {
                ObjectNode parent = p.putObject("parent");
                parent.put("pid", process.parent().pid());
                putIfSet(parent, "comm", process.parent().comm());
            }
            putIfSet(p, "cmdline", process.cmdline());
        }
        o.put("message", event.message());
        if (!event.details().isEmpty()) {
            ObjectNode d = o.putObject("details");
            event.details().forEach(d::put);
        }
        if (event.repeats() != null) {
            o.put("count", event.repeats().count());
            o.put("first_time", event.repeats().first().toString());
            o.put("last_time", event.repeats().last().toString());
        }
        return o;
    }

    public static Event fromJson(String json) {
        try {
            JsonNode o = MAPPER.readTree(json);
            ProcessInfo process = null;
            JsonNode p = o.get("process");
            if (p != null) {
                List<String> args = null;
                if (p.has("args")) {
                    args = new ArrayList<>();
                    for (JsonNode arg : p.get("args")) {
                        args.add(arg.asText());
                    }
                }
                JsonNode parent = p.get("parent");
                process = new ProcessInfo(p.path("pid").asInt(), text(p, "path"), args,
                        p.has("uid") ? p.get("uid").asInt() : null, text(p, "user"),
                        parent == null ? null : new ProcessInfo.Parent(parent.path("pid").asInt(), text(parent, "comm")),
                        text(p, "cmdline"));
            }
            Map<String, String> details = new TreeMap<>();
            o.path("details").fields().forEachRemaining(e -> details.put(e.getKey(), e.getValue().asText()));
            return new Event(Instant.parse(o.get("time").asText()), text(o, "host"),
                    EventKind.fromWire(o.get("kind").asText()), EventAction.fromWire(o.get("action").asText()),
                    Severity.fromWire(o.get("severity").asText()), text(o, "container_id"),
                    text(o, "container_name"), text(o, "image"), text(o, "image_id"), text(o, "policy"),
                    text(o, "rule"), process, o.get("message").asText(), details,
                    o.has("count") ? new Repeats(o.get("count").asLong(), Instant.parse(o.get("first_time").asText()),
                            Instant.parse(o.get("last_time").asText())) : null);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a driftguard event: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static void putIfSet(ObjectNode o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }
}
