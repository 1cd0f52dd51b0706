package io.driftguard.daemon.policy;

/** {@code [policy.drift]}: what happens to an exec of a file that is not in the container's image as built. */
public record DriftRule(Action action) {
}
