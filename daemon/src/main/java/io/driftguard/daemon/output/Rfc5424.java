package io.driftguard.daemon.output;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventJson;
import io.driftguard.core.text.Printable;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event as an RFC 5424 syslog message: {@code <PRI>1 TIMESTAMP HOSTNAME driftguard PROCID KIND
 * [driftguard@32473 kind="..." action="..." ...] MSG}. Header fields are cut to their printable
 * US-ASCII alphabet and length (section 6); structured-data values escape {@code " \ ]} (section
 * 6.3.3); MSG is UTF-8 with its BOM (section 6.4). Control characters in container-chosen text are
 * shown as {@code \xNN}, so no value can end the message or forge another line.
 */
final class Rfc5424 {
    /**
     * The SD-ID needs a private enterprise number after '@' (section 7.2.2); driftguard has none,
     * so it uses 32473, which RFC 5612 reserves for documentation and examples.
     */
    static final String SD_ID = "driftguard@32473";
    private static final String APP_NAME = "driftguard";
    private static final String BOM = "\uFEFF";
    /** At most 6 fractional digits (section 6.2.3), always UTC. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final int facility;
    private final boolean json;
    private final String procId;

    Rfc5424(int facility, boolean json, long pid) {
        this.facility = facility;
        this.json = json;
        this.procId = Long.toString(pid);
    }

    String format(Event event) {
        StringBuilder out = new StringBuilder(512);
        out.append('<').append(facility * 8 + event.severity().syslogPriority()).append(">1 ")
                .append(TIME.format(event.time())).append(' ')
                .append(header(event.host(), 255)).append(' ')
                .append(APP_NAME).append(' ')
                .append(procId).append(' ')
                .append(header(event.kind().wire(), 32)).append(' ');
        if (json) {
            out.append("- ").append(BOM).append(EventJson.toJson(event));
        } else {
            out.append('[').append(SD_ID);
            params(event).forEach((name, value) -> out.append(' ').append(name).append("=\"").append(paramValue(value)).append('"'));
            out.append("] ").append(BOM).append(Printable.escape(event.message()));
        }
        return out.toString();
    }

    private static Map<String, String> params(Event event) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("kind", event.kind().wire());
        params.put("action", event.action().wire());
        params.put("severity", event.severity().wire());
        putIfSet(params, "policy", event.policy());
        putIfSet(params, "rule", event.rule());
        putIfSet(params, "container_id", event.containerId());
        putIfSet(params, "container_name", event.containerName());
        putIfSet(params, "image", event.image());
        if (event.process() != null) {
            params.put("pid", Integer.toString(event.process().pid()));
            putIfSet(params, "path", event.process().path());
            if (event.process().uid() != null) {
                params.put("uid", Integer.toString(event.process().uid()));
            }
        }
        if (event.repeats() != null) {
            params.put("count", Long.toString(event.repeats().count()));
        }
        event.details().forEach((key, value) -> params.putIfAbsent(paramName(key), value));
        return params;
    }

    private static void putIfSet(Map<String, String> params, String name, String value) {
        if (value != null) {
            params.put(name, value);
        }
    }

    /** PRINTUSASCII (33..126), at most {@code max} characters; "-" (NILVALUE) when nothing is left. */
    static String header(String text, int max) {
        if (text == null || text.isEmpty()) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            out.append(c >= 33 && c <= 126 ? c : '_');
        }
        return out.toString();
    }

    /** PARAM-NAME: 1 to 32 PRINTUSASCII except '=', ' ', ']' and '"'. */
    static String paramName(String key) {
        String name = header(key, 32).replaceAll("[=\\]\"]", "_");
        return name.equals("-") ? "_" : name;
    }

    /** PARAM-VALUE: '"', '\' and ']' escaped with a backslash; control characters as \xNN. */
    static String paramValue(String value) {
        return Printable.escape(value).replace("\\", "\\\\").replace("\"", "\\\"").replace("]", "\\]");
    }
}
