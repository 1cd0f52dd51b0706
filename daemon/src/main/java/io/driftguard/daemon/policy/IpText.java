package io.driftguard.daemon.policy;

import java.net.Inet6Address;
import java.net.InetAddress;

/** Addresses as people write them: IPv6 in RFC 5952 form ("::1", not Java's "0:0:0:0:0:0:0:1"). */
public final class IpText {
    private IpText() {
    }

    public static String of(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // the longest run of two or more zero groups (the first when tied) becomes "::"
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; i++) {
            int len = 0;
            while (i + len < 8 && groups[i + len] == 0) {
                len++;
            }
            if (len > bestLen) {
                bestStart = i;
                bestLen = len;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
