package io.driftguard.scan.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times as tables show them: short, local, to the second ({@code --json} keeps ISO-8601 UTC). */
final class Times {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Times() {
    }

    static String local(Instant time) {
        return LOCAL.format(time.atZone(ZoneId.systemDefault()));
    }
}
