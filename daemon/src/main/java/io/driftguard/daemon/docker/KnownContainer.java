package io.driftguard.daemon.docker;

import io.driftguard.core.model.ContainerId;
import io.driftguard.core.model.Digest;
import io.driftguard.daemon.policy.ContainerFacts;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A container Docker knows, in any state (created, running, exited): enough to say which policies
 * select it. {@code imageId} may be null where Docker gave none.
 */
public record KnownContainer(ContainerId id, String name, String image, Digest imageId, Map<String, String> labels) {
    public KnownContainer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
    }

    public ContainerFacts facts() {
        return new ContainerFacts(name, image, labels);
    }

    /** The container as events name it before it runs: no process (pid 0) and no PATH yet. */
    public ContainerInfo beforeStart() {
        return new ContainerInfo(id, name, image, imageId, 0, labels, List.of());
    }

    public KnownContainer renamed(String newName) {
        return new KnownContainer(id, newName, image, imageId, labels);
    }
}
