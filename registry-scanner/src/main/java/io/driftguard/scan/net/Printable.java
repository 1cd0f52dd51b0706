package io.driftguard.scan.net;

/**
 * Registry-sent text (names, media types, headers) as it may appear in a message: control
 * characters escaped, so that it cannot forge log lines, and cut to a sane length.
 */
public final class Printable {
    private static final int MAX = 200;

    private Printable() {
    }

    public static String of(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(MAX).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > MAX ? out + "..." : out.toString();
    }
}
