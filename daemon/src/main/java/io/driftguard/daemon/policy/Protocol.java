package io.driftguard.daemon.policy;

import java.util.Locale;

/** Transport protocols a network rule can name, with their IPPROTO_* numbers. */
public enum Protocol {
    TCP(6), UDP(17);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The lower-case name for messages ("tcp"), or the number for protocols driftguard has no name for. */
    public static String nameOf(int ipproto) {
        for (Protocol p : values()) {
            if (p.number == ipproto) {
                return p.name().toLowerCase(Locale.ROOT);
            }
        }
        return "ipproto " + ipproto;
    }
}
