package io.driftguard.daemon.enforce;

import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.policy.RuleExceptions;
import java.util.function.Supplier;

/**
 * A check on every exec besides the process rules (drift, process profile), answered from memory
 * on the decision thread. {@link #needsDigest} asks for the file's sha256 first; the guard then
 * hashes it on the hashing workers, under the deadline guard.
 */
interface ExecCheck {
    boolean needsDigest(String path, FileStat stat);

    /**
     * What this exec breaks, or null; {@code sha256} is null unless {@link #needsDigest} asked for it.
     * {@code parent} reads the exec'ing process's parent on first use (for rule exceptions).
     */
    ExecFinding check(int pid, String path, FileStat stat, String sha256, Supplier<RuleExceptions.Parent> parent);

    /** What {@code driftguard status} says of this check. */
    SensorStatus.RuleStatus status();
}
