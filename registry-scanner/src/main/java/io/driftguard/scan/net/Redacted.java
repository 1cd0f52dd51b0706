package io.driftguard.scan.net;

import java.util.regex.Pattern;

/**
 * Text with the user information of every URL in it ({@code https://user:pass@host}) replaced by
 * {@code ***@}, so that a password typed into a URL, or sent back in a redirect, never reaches an
 * error, a log line or a report.
 */
public final class Redacted {
    // A scheme, then everything up to an '@' before the path, query, a quote or the line's end:
    // also the invalid userinfo (spaces, say) that a URI parser's message quotes back.
    private static final Pattern USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@'\"<>\\r\\n]*@");

    private Redacted() {
    }

    public static String of(String text) {
        return text == null ? null : USERINFO.matcher(text).replaceAll("$1***@");
    }
}
