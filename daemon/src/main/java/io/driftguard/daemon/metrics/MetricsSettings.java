package io.driftguard.daemon.metrics;

import io.driftguard.core.toml.TomlTable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code [metrics] listen}: where the Prometheus endpoint listens, {@code HOST:PORT} with an IP
 * address (IPv6 in brackets) or {@code localhost}; {@code host} is null when it is off (the default).
 */
public record MetricsSettings(InetAddress host, int port) {
    public static final MetricsSettings OFF = new MetricsSettings(null, 0);

    private static final Pattern LISTEN = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[0-9.]+|localhost):([0-9]{1,5})");

    public boolean enabled() {
        return host != null;
    }

    /** Reads the section and records problems in it; the caller finishes the table. */
    public static MetricsSettings read(TomlTable metrics) {
        String listen = metrics.string("listen").orElse("");
        if (listen.isEmpty()) {
            return OFF;
        }
        Matcher m = LISTEN.matcher(listen);
        int port = m.matches() ? Integer.parseInt(m.group(2)) : 0;
        if (port < 1 || port > 65535) {
            metrics.problem("listen", "must be HOST:PORT with an IP address or localhost and a port 1-65535, such as 127.0.0.1:9847, not '"
                    + listen + "'");
            return OFF;
        }
        String host = m.group(1).startsWith("[") ? m.group(1).substring(1, m.group(1).length() - 1) : m.group(1);
        try {
            // A literal address or localhost: never a DNS lookup.
            return new MetricsSettings(host.equals("localhost") ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            metrics.problem("listen", "'" + host + "' is not an IP address");
            return OFF;
        }
    }

    @Override
    public String toString() {
        return enabled() ? (host.getHostAddress().contains(":") ? "[" + host.getHostAddress() + "]" : host.getHostAddress()) + ":" + port : "off";
    }
}
