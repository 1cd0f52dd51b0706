package io.driftguard.daemon.policy;

import java.nio.file.Path;
import java.util.List;

/** One validated {@code [[policy]]} table, with the file and line it came from. */
public record Policy(String name, Path file, int line, Mode mode, Match match, List<ProcessRule> processRules,
                     List<NetworkRule> networkRules, List<SyscallRule> syscallRules) {
    public Policy {
        processRules = List.copyOf(processRules);
        networkRules = List.copyOf(networkRules);
        syscallRules = List.copyOf(syscallRules);
    }

    public String origin() {
        return file + ":" + line;
    }
}
