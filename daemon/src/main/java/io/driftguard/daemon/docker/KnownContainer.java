package io.driftguard.daemon.docker;

import io.driftguard.daemon.policy.ContainerFacts;
import java.util.Map;

/** A container Docker knows, in any state (created, running, exited): enough to say which policies select it. */
public record KnownContainer(String id, String name, String image, String imageId, Map<String, String> labels) {
    public KnownContainer {
        labels = Map.copyOf(labels);
    }

    public ContainerFacts facts() {
        return new ContainerFacts(name, image, labels);
    }
}
