package io.driftguard.core.event;

/**
 * Text from outside (registry names, media types, headers; Docker request fields) as it may appear in a message: control
 * characters escaped, so that it cannot forge log lines, and cut to a sane length.
 */
public final class Printable {
    private static final int MAX = 200;

    private Printable() {
    }

    public static String of(String text) {
        return of(text, MAX);
    }

    /** As {@link #of(String)}, cut at {@code max} characters (messages that list several findings). */
    public static String of(String text, int max) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(max).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > max ? out + "..." : out.toString();
    }
}
