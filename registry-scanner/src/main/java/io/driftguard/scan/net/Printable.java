package io.driftguard.scan.net;

/**
 * Registry-sent text (names, media types, headers) as it may appear in a message: control
 * characters escaped, so that it cannot forge log lines, and cut to a sane length.
 */
public final class Printable {
    private Printable() {
    }

    public static String of(String text) {
        return io.driftguard.core.text.Printable.of(text);
    }
}
