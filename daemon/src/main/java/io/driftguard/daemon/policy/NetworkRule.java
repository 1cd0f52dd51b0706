package io.driftguard.daemon.policy;

import java.util.List;
import java.util.Set;

/** A {@code [[policy.network]]} rule: outbound connects and UDP sends to {@code cidrs}. Empty ports or protocols mean all. */
public record NetworkRule(String name, Action action, List<Cidr> cidrs, Set<Integer> ports, Set<Protocol> protocols) {
    public NetworkRule {
        cidrs = List.copyOf(cidrs);
        ports = Set.copyOf(ports);
        protocols = Set.copyOf(protocols);
    }
}
