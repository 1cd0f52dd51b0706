package io.driftguard.daemon.policy;

import java.time.Duration;

/**
 * {@code [policy.profile]}: learn which executables an image's containers run, then treat any other
 * exec with {@code action}. Learning ends after {@code learnFor} or after {@code learnCount} new
 * executables, whichever is set (null when not).
 */
public record ProfileRule(ProfileMode mode, Duration learnFor, Long learnCount, Action action) {

    /** learn: record until the learning window closes, then enforce; enforce: only enforce. */
    public enum ProfileMode {
        LEARN, ENFORCE
    }
}
