package io.driftguard.daemon.enforce;

import io.driftguard.daemon.kernel.FileStat;

/**
 * A check on every exec besides the process rules (drift, process profile), answered from memory
 * on the decision thread. {@link #needsDigest} asks for the file's sha256 first; the guard then
 * hashes it on the hashing workers, under the deadline guard.
 */
interface ExecCheck {
    boolean needsDigest(String path, FileStat stat);

    /** What this exec breaks, or null; {@code sha256} is null unless {@link #needsDigest} asked for it. */
    ExecFinding check(int pid, String path, FileStat stat, String sha256);

    /** What {@code driftguard status} says of this check. */
    SensorStatus.RuleStatus status();
}
