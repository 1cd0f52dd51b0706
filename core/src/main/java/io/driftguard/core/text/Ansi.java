package io.driftguard.core.text;

import io.driftguard.core.event.Severity;
import java.util.Arrays;

/** The colours of table cells, for both programs' tables; only for a terminal that takes them ({@link Terminal#colour}). */
public final class Ansi {
    private Ansi() {
    }

    /**
     * The SGR code of a severity cell ({@link Severity#wire}): critical bold red, high red, medium
     * yellow, low cyan; null (plain) for info and any other text.
     */
    public static String severityCode(String cell) {
        Severity severity = Arrays.stream(Severity.values()).filter(s -> s.wire().equals(cell.trim())).findFirst().orElse(Severity.INFO);
        return switch (severity) {
            case CRITICAL -> "1;31";
            case HIGH -> "31";
            case MEDIUM -> "33";
            case LOW -> "36";
            case INFO -> null;
        };
    }

    /** A severity cell in its colour. */
    public static String severity(String cell) {
        return wrap(severityCode(cell), cell);
    }

    /** {@code text} in the colour of SGR {@code code}, reset after it; plain when {@code code} is null. */
    static String wrap(String code, String text) {
        return code == null ? text : "\033[" + code + "m" + text + "\033[0m";
    }
}
