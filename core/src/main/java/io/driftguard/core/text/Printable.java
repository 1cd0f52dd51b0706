package io.driftguard.core.text;

/**
 * Untrusted text (container file names, registry answers, policy values) as it may appear in a
 * log line, a table or a message: control characters (C0, DEL, C1, which carry newlines, syslog
 * priority prefixes after a newline, and ANSI escapes) are shown as {@code \xNN}, so that the text
 * can neither forge lines nor drive a terminal. JSON output escapes by itself and needs none of this.
 */
public final class Printable {
    private static final int SHORT = 200;

    private Printable() {
    }

    /** The whole text, escaped. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        if (text.codePoints().noneMatch(Printable::isControl)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            if (isControl(c)) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** Escaped and cut to a sane length for a message. */
    public static String of(String text) {
        String escaped = escape(text);
        return escaped.codePointCount(0, escaped.length()) > SHORT
                ? escaped.substring(0, escaped.offsetByCodePoints(0, SHORT)) + "..." : escaped;
    }

    public static boolean isControl(int c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }
}
