package io.driftguard.core.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.StringWriter;
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
        StringWriter text = new StringWriter(512);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(text)) {
            write(json, event, hostId);
        } catch (IOException e) {
            throw new IllegalStateException("event cannot be written as JSON", e);
        }
        return text.toString();
    }

    /** The JSON form as a tree, for a report that holds many events (no text to parse back). */
    public static ObjectNode toTree(Event event, String hostId) {
        try (TokenBuffer tokens = new TokenBuffer(MAPPER, false)) {
            write(tokens, event, hostId);
            return MAPPER.readTree(tokens.asParser());
        } catch (IOException e) {
            throw new IllegalStateException("event cannot be written as JSON", e);
        }
    }

    /** Streams the object: an event's text is written once per sink, and a tree first cost twice as much. */
    private static void write(JsonGenerator o, Event event, String hostId) throws IOException {
        o.writeStartObject();
        o.writeStringField("time", event.time().toString());
        writeIfSet(o, "host", event.host());
        writeIfSet(o, "host_id", hostId);
        o.writeStringField("kind", event.kind().wire());
        o.writeStringField("action", event.action().wire());
        o.writeStringField("severity", event.severity().wire());
        writeIfSet(o, "container_id", event.containerId());
        writeIfSet(o, "container_name", event.containerName());
        writeIfSet(o, "image", event.image());
        writeIfSet(o, "image_id", event.imageId());
        writeIfSet(o, "policy", event.policy());
        writeIfSet(o, "rule", event.rule());
        ProcessInfo process = event.process();
        if (process != null) {
            o.writeObjectFieldStart("process");
            o.writeNumberField("pid", process.pid());
            writeIfSet(o, "path", process.path());
            if (process.args() != null) {
                o.writeArrayFieldStart("args");
                for (String arg : process.args()) {
                    o.writeString(arg);
                }
                o.writeEndArray();
            }
            if (process.uid() != null) {
                o.writeNumberField("uid", process.uid());
            }
            writeIfSet(o, "user", process.user());
            if (process.parent() != null) {
                o.writeObjectFieldStart("parent");
                o.writeNumberField("pid", process.parent().pid());
                writeIfSet(o, "comm", process.parent().comm());
                o.writeEndObject();
            }
            writeIfSet(o, "cmdline", process.cmdline());
            o.writeEndObject();
        }
        o.writeStringField("message", event.message());
        if (!event.details().isEmpty()) {
            o.writeObjectFieldStart("details");
            for (Map.Entry<String, String> detail : event.details().entrySet()) {
                o.writeStringField(detail.getKey(), detail.getValue());
            }
            o.writeEndObject();
        }
        if (event.repeats() != null) {
            o.writeNumberField("count", event.repeats().count());
            o.writeStringField("first_time", event.repeats().first().toString());
            o.writeStringField("last_time", event.repeats().last().toString());
        }
        o.writeEndObject();
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

    private static void writeIfSet(JsonGenerator o, String key, String value) throws IOException {
        if (value != null) {
            o.writeStringField(key, value);
        }
    }
}
