package io.driftguard.daemon.bpf;

import java.util.List;

/**
 * The kernel's part of a {@code [policy.drift]}: execs that cannot be an image file, told from the
 * file that runs (a memfd, a file with no name left, the dynamic loader run as a program, a file
 * on a file system not among {@code devices}) are killed (KILL, BLOCK) or reported (ALERT).
 * {@code devices} are the kernel dev_t numbers of the container's file systems at attach; empty
 * (a container not attached yet) leaves that check out.
 */
public record DriftRule(String policy, KernelAction action, List<Integer> devices) {
    public static final String RULE = "drift";

    public DriftRule {
        new RuleCheck("drift", policy, RULE, action, KernelAction.ISOLATE, "use block or alert");
        devices = List.copyOf(devices);
        if (devices.size() > DriftguardH.DG_MAX_DEVS) {
            throw new IllegalArgumentException("drift rule of policy " + policy + ": " + devices.size()
                    + " file systems; at most " + DriftguardH.DG_MAX_DEVS);
        }
    }

    public DriftRule withDevices(List<Integer> newDevices) {
        return new DriftRule(policy, action, newDevices);
    }
}
