package io.driftguard.daemon.enforce;

import java.time.Duration;

/**
 * How enforcement behaves when it cannot decide in time: {@code failOpen} allows the exec after
 * {@code decisionTimeout} (the default: a stuck decision must not freeze the container), otherwise
 * denies it.
 */
public record EnforcementSettings(boolean failOpen, Duration decisionTimeout) {
}
