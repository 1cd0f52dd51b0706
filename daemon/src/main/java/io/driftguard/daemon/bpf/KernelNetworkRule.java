package io.driftguard.daemon.bpf;

import io.driftguard.daemon.policy.Cidr;
import io.driftguard.daemon.policy.Protocol;
import java.util.List;
import java.util.Set;

/**
 * A {@code [[policy.network]]} rule as the BPF programs enforce it, named by policy and rule:
 * connects and UDP sends to {@code cidrs} but not to {@code except} (on {@code ports}, by
 * {@code protocols}; empty means all) are blocked, reported or (ALLOW) let through whatever else matches.
 */
public record KernelNetworkRule(String policy, String rule, KernelAction action, List<Cidr> cidrs, List<Cidr> except,
                                Set<Integer> ports, Set<Protocol> protocols) {
    public KernelNetworkRule {
        RuleCheck check = new RuleCheck("network", policy, rule, action, KernelAction.KILL,
                "action kill is not a network action (block, alert, isolate, allow)");
        cidrs = List.copyOf(cidrs);
        except = List.copyOf(except);
        ports = Set.copyOf(ports);
        protocols = Set.copyOf(protocols);
        check.notEmpty("cidrs", cidrs);
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw check.problem("port " + port + " out of range 1..65535");
            }
        }
    }
}
