package io.driftguard.daemon.admission;

/** The plugin's answer: Docker shows {@code message} to the client when {@code allow} is false. */
public record Verdict(boolean allow, String message) {
    static final Verdict ALLOW = new Verdict(true, "");

    static Verdict deny(String message) {
        return new Verdict(false, message);
    }
}
