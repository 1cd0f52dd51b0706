package io.driftguard.daemon.output;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where syslog messages go: {@code unix:/dev/log} (a datagram socket, as journald and rsyslog
 * offer), {@code udp://HOST:PORT} (RFC 5426) or {@code tcp://HOST:PORT} (RFC 6587 octet counting).
 */
public record SyslogAddress(Transport transport, String target, int port) {
    public enum Transport { UNIX, UDP, TCP }

    // HOST is a name, an IPv4 address or a bracketed IPv6 address.
    private static final Pattern NETWORK = Pattern.compile("(udp|tcp)://(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):([0-9]{1,5})");

    /** The address, or empty when {@code text} is none of the three forms. */
    public static Optional<SyslogAddress> parse(String text) {
        if (text.startsWith("unix:/")) {
            return Optional.of(new SyslogAddress(Transport.UNIX, text.substring("unix:".length()), 0));
        }
        Matcher m = NETWORK.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int port = Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        String host = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
        return Optional.of(new SyslogAddress(m.group(1).equals("udp") ? Transport.UDP : Transport.TCP, host, port));
    }

    @Override
    public String toString() {
        return transport == Transport.UNIX ? "unix:" + target
                : transport.name().toLowerCase(java.util.Locale.ROOT) + "://" + (target.contains(":") ? "[" + target + "]" : target) + ":" + port;
    }
}
