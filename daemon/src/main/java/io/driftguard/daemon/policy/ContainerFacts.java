package io.driftguard.daemon.policy;

import java.util.Map;

/** What a policy's match looks at: the container's name (without '/'), image reference and labels. */
public record ContainerFacts(String name, String image, Map<String, String> labels) {
    public ContainerFacts {
        labels = Map.copyOf(labels);
    }
}
