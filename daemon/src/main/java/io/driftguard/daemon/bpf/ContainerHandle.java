package io.driftguard.daemon.bpf;

import java.util.List;

/**
 * The eBPF enforcement attached to one container, released as a unit by {@link #close}.
 * {@link ContainerBpf} is the real one; see {@link CgroupEnforcer} for why there is a seam.
 */
public interface ContainerHandle extends AutoCloseable {
    ContainerRules rules();

    /** Replaces the rules in place, never leaving the container without rules. */
    void replaceRules(ContainerRules newRules) throws BpfException;

    /** Drops every packet the container sends or receives until {@link #release}. */
    void isolate(String reason) throws BpfException;

    /** Lifts {@link #isolate}; does nothing when the container is not isolated. */
    void release(String reason);

    boolean isolated();

    /** Each rule with the mechanism that enforces it on this kernel. */
    List<RuleMechanism> mechanisms();

    @Override
    void close();
}
