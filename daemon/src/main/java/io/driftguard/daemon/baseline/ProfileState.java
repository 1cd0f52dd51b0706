package io.driftguard.daemon.baseline;

import io.driftguard.core.model.Digest;
import java.time.Instant;

/**
 * Where an image's process profile stands: learning started at {@code learnFrom} and lasts until
 * {@code learnUntil} or until {@code learnCount} executables are known (each null when not set).
 */
public record ProfileState(Digest imageId, String imageRef, Instant learnFrom, Instant learnUntil, Long learnCount) {

    public boolean learning(Instant now, int known) {
        boolean timeLeft = learnUntil == null || now.isBefore(learnUntil);
        boolean roomLeft = learnCount == null || known < learnCount;
        return (learnUntil != null || learnCount != null) && timeLeft && roomLeft;
    }
}
