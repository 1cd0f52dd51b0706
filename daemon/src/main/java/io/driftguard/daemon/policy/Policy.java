package io.driftguard.daemon.policy;

import java.nio.file.Path;
import java.util.List;

/**
 * One validated {@code [[policy]]} table, with the file and line it came from. {@code drift},
 * {@code profile} and {@code admission} are null when the policy has no such table.
 */
public record Policy(String name, Path file, int line, Mode mode, Match match, List<ProcessRule> processRules,
                     List<NetworkRule> networkRules, List<SyscallRule> syscallRules, DriftRule drift,
                     ProfileRule profile, List<FileRule> fileRules, AdmissionRule admission) {
    public Policy {
        processRules = List.copyOf(processRules);
        networkRules = List.copyOf(networkRules);
        syscallRules = List.copyOf(syscallRules);
        fileRules = List.copyOf(fileRules);
    }

    /** A policy with process rules only. */
    public Policy(String name, Path file, int line, Mode mode, Match match, List<ProcessRule> processRules) {
        this(name, file, line, mode, match, processRules, List.of(), List.of(), null, null, List.of(), null);
    }

    public String origin() {
        return file + ":" + line;
    }
}
