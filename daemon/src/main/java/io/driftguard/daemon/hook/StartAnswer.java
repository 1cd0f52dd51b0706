package io.driftguard.daemon.hook;

import io.driftguard.core.text.Printable;

/** What the daemon tells the hook; the hook lets the start go on only on attached and not-selected. */
public record StartAnswer(Outcome outcome, String reason) {
    public enum Outcome { ATTACHED, NOT_SELECTED, FAILED }

    public static final StartAnswer ATTACHED = new StartAnswer(Outcome.ATTACHED, "");
    public static final StartAnswer NOT_SELECTED = new StartAnswer(Outcome.NOT_SELECTED, "");

    public static StartAnswer failed(String reason) {
        return new StartAnswer(Outcome.FAILED, reason);
    }

    /** The reply line (driftguard-runtime.c reads "attached" and "not-selected"; anything else is a failure). */
    String line() {
        return switch (outcome) {
            case ATTACHED -> "attached";
            case NOT_SELECTED -> "not-selected";
            case FAILED -> "driftguard could not attach: " + Printable.escape(reason);
        };
    }
}
