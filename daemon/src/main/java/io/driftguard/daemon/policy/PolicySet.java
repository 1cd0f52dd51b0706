package io.driftguard.daemon.policy;

import java.nio.file.Path;
import java.util.List;

/** Every policy of the policies folder, valid as a whole; swapped atomically on reload. */
public record PolicySet(Path dir, List<Policy> policies) {
    public PolicySet {
        policies = List.copyOf(policies);
    }

    public List<Policy> selecting(ContainerFacts container) {
        return policies.stream().filter(p -> p.match().selects(container)).toList();
    }
}
