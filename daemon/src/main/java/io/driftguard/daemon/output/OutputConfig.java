package io.driftguard.daemon.output;

import io.driftguard.core.config.ConfigFile;
import io.driftguard.core.toml.TomlTable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code [[output]]} tables of driftguard.toml strictly: every problem names file, line and key. */
public final class OutputConfig {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** RFC 5424 section 6.2.1's facility names, by code. */
    static final List<String> FACILITIES = List.of("kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
            "uucp", "cron", "authpriv", "ftp", "ntp", "audit", "alert", "clock",
            "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7");

    private OutputConfig() {
    }

    public static List<OutputSettings> read(ConfigFile config) {
        List<OutputSettings> outputs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (TomlTable table : config.sections("output")) {
            String type = table.requiredString("type");
            String name = table.string("name").orElse(type);
            if (!NAME.matcher(name).matches()) {
                table.problem("name", "must be 1 to 64 of A-Z a-z 0-9 . _ -, not '" + name + "'");
            } else if (!names.add(name)) {
                table.problem(table.has("name") ? "name" : "type", "a second output named '" + name
                        + "': give each output of one type its own name = \"...\"");
            }
            OutputSettings output = switch (type) {
                case "file" -> file(config, table, name);
                case "syslog" -> syslog(table, name);
                case "webhook" -> webhook(table, name);
                case "" -> null; // missing type: reported by requiredString
                default -> {
                    table.problem("type", "must be file, syslog or webhook, not '" + type + "'");
                    yield null;
                }
            };
            table.finish();
            if (output != null) {
                outputs.add(output);
            }
        }
        return outputs;
    }

    private static OutputSettings file(ConfigFile config, TomlTable table, String name) {
        if (table.requiredString("path").isEmpty() && table.has("path")) {
            table.problem("path", "must not be empty");
        }
        return new OutputSettings.File(name, queueSize(table, 10_000), config.path(table, "path", "events.json"));
    }

    private static OutputSettings syslog(TomlTable table, String name) {
        String text = table.string("address").orElse("unix:/dev/log");
        SyslogAddress address = SyslogAddress.parse(text).orElse(null);
        if (address == null) {
            table.problem("address", "must be unix:/PATH, udp://HOST:PORT or tcp://HOST:PORT, not '" + text + "'");
        }
        String facility = table.string("facility").orElse("daemon").toLowerCase(Locale.ROOT);
        if (!FACILITIES.contains(facility)) {
            table.problem("facility", "must be one of " + String.join(", ", FACILITIES) + ", not '" + facility + "'");
        }
        String format = table.string("format").orElse("text");
        if (!format.equals("text") && !format.equals("json")) {
            table.problem("format", "must be text (the event's message) or json (the whole event), not '" + format + "'");
        }
        return new OutputSettings.Syslog(name, queueSize(table, 10_000), address, Math.max(0, FACILITIES.indexOf(facility)),
                format.equals("json"));
    }

    private static OutputSettings webhook(TomlTable table, String name) {
        String text = table.requiredString("url");
        URI url = null;
        try {
            url = new URI(text);
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                table.problem("url", "must be an http:// or https:// URL with a host, not '" + text + "'");
            } else if (url.getRawUserInfo() != null) {
                table.problem("url", "must not hold credentials (user:password@): they would show in logs and events");
            }
        } catch (URISyntaxException e) {
            table.problem("url", "is not a URL: " + e.getReason());
        }
        Duration timeout = bounded(table, "timeout", Duration.ofSeconds(5), Duration.ofMinutes(1));
        long retries = table.integer("retries").orElse(3L);
        if (retries < 0 || retries > 10) {
            table.problem("retries", "must be between 0 and 10, not " + retries);
        }
        Duration retryDelay = bounded(table, "retry_delay", Duration.ofSeconds(1), Duration.ofMinutes(1));
        return new OutputSettings.Webhook(name, queueSize(table, 1000), url, timeout, (int) retries, retryDelay);
    }

    private static Duration bounded(TomlTable table, String key, Duration fallback, Duration max) {
        Duration value = ConfigFile.duration(table, key, fallback);
        if (value.isZero() || value.compareTo(max) > 0) {
            table.problem(key, "must be between 1ms and " + max.toSeconds() + "s");
        }
        return value;
    }

    private static int queueSize(TomlTable table, int fallback) {
        long size = table.integer("queue_size").orElse((long) fallback);
        if (size < 1 || size > 1_000_000) {
            table.problem("queue_size", "must be between 1 and 1000000 events, not " + size);
            return fallback;
        }
        return (int) size;
    }
}
