package io.driftguard.daemon.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network ("10.0.0.0/8", "fd00::/8", "169.254.169.254/32"). Host bits must be zero:
 * "10.0.0.1/8" is rejected rather than silently widened, since a typo in a security rule should
 * not change what it covers.
 */
public record Cidr(InetAddress address, int prefix) {
    /** Literal addresses only: InetAddress.getByName must never resolve a host name here. */
    private static final Pattern FORM = Pattern.compile("([0-9a-fA-F:.]+)/(\\d{1,3})");

    public Cidr {
        int bits = address.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("prefix /" + prefix + " out of range 0.." + bits + " for " + IpText.of(address));
        }
        if (!Arrays.equals(address.getAddress(), masked(address.getAddress(), prefix))) {
            throw new IllegalArgumentException(IpText.of(address) + "/" + prefix + " has host bits set");
        }
    }

    public static Cidr parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a CIDR (address/prefix): " + text);
        }
        try {
            return new Cidr(InetAddress.getByName(m.group(1)), Integer.parseInt(m.group(2)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + m.group(1), e);
        }
    }

    public boolean isIpv4() {
        return address.getAddress().length == 4;
    }

    /** True when this network contains {@code other} (same family, shorter or equal prefix). */
    public boolean contains(Cidr other) {
        return isIpv4() == other.isIpv4() && prefix <= other.prefix
                && Arrays.equals(address.getAddress(), masked(other.address.getAddress(), prefix));
    }

    static byte[] masked(byte[] addr, int prefix) {
        byte[] out = addr.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff00 >> keep);
        }
        return out;
    }

    @Override
    public String toString() {
        return IpText.of(address) + "/" + prefix;
    }
}
