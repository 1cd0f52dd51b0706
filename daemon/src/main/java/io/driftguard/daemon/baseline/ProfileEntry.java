package io.driftguard.daemon.baseline;

import java.time.Instant;

/** One executable seen while learning: which file, started as what, by which parent and uid. */
public record ProfileEntry(String path, String sha256, String invokedName, String parent, int uid, Instant firstSeen) {
}
