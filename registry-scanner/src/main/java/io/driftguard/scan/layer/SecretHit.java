package io.driftguard.scan.layer;

/** A secret found at {@code path} (a file path, or "config Env", "history"); {@code excerpt} is redacted. */
public record SecretHit(String rule, String path, String excerpt) {
}
