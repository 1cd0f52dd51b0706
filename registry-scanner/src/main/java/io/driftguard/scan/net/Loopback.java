package io.driftguard.scan.net;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a host name is this machine's loopback, decided from the text alone: resolving a name
 * here would let DNS decide where plain http and credentials may go.
 */
public final class Loopback {
    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(?:\\.(?:25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");

    private Loopback() {
    }

    public static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.equals("[::1]") || h.equals("::1") || IPV4_LOOPBACK.matcher(h).matches();
    }
}
