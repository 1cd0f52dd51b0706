package io.driftguard.daemon.bpf;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A {@code [[policy.process]]} rule by invoked name: a program started in the container as one of
 * {@code names} (file base name, argv[0] base name, busybox's applet argument, the program the
 * dynamic loader is asked to run) is killed or reported. BLOCK kills too: it is the backstop for
 * the execs that fanotify, which blocks the files a name leads to, cannot tell apart.
 */
public record ProcessNameRule(String policy, String rule, KernelAction action, List<String> names) {
    public ProcessNameRule {
        RuleCheck check = new RuleCheck("process", policy, rule, action);
        names = List.copyOf(names);
        check.notEmpty("names", names);
        for (String name : names) {
            if (!fits(name)) {
                throw check.problem("name \"" + name + "\" must be a base name of 1.." + (DriftguardH.DG_NAME_LEN - 1) + " bytes without '/'");
            }
        }
    }

    /** Whether the kernel's name table can hold {@code name}. */
    public static boolean fits(String name) {
        int len = name.getBytes(StandardCharsets.UTF_8).length;
        return len > 0 && len < DriftguardH.DG_NAME_LEN && !name.contains("/");
    }
}
