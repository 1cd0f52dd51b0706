package io.driftguard.daemon.bpf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A {@code [[policy.process]]} rule by invoked name: a program started in the container as one of
 * {@code names} (file base name, argv[0] base name, or busybox's applet argument) is killed or reported.
 */
public record ProcessNameRule(String policy, String rule, Action action, List<String> names) {
    public ProcessNameRule {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(rule, "rule");
        if (action == Action.BLOCK) {
            throw new IllegalArgumentException("process rule " + rule + " of policy " + policy + ": block by name is done by fanotify; here use kill or alert");
        }
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("process rule " + rule + " of policy " + policy + ": names must not be empty");
        }
        for (String name : names) {
            int len = name.getBytes(StandardCharsets.UTF_8).length;
            if (len == 0 || len >= DriftguardH.DG_NAME_LEN || name.contains("/")) {
                throw new IllegalArgumentException("process rule " + rule + " of policy " + policy + ": name \"" + name
                        + "\" must be a base name of 1.." + (DriftguardH.DG_NAME_LEN - 1) + " bytes without '/'");
            }
        }
    }
}
