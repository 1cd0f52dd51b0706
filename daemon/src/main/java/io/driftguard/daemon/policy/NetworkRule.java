package io.driftguard.daemon.policy;

import java.util.List;
import java.util.Set;

/**
 * A {@code [[policy.network]]} rule: outbound connects and UDP sends to {@code cidrs} but not to
 * {@code except}. Empty ports or protocols mean all.
 */
public record NetworkRule(String name, Action action, List<Cidr> cidrs, List<Cidr> except, Set<Integer> ports, Set<Protocol> protocols) {
    /** Most network rules the kernel program holds for one container: DG_MAX_NET_RULES in bpf/driftguard.h (checked by a test). */
    public static final int MAX_PER_CONTAINER = 64;

    public NetworkRule {
        cidrs = List.copyOf(cidrs);
        except = List.copyOf(except);
        ports = Set.copyOf(ports);
        protocols = Set.copyOf(protocols);
    }
}
