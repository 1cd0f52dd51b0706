package io.driftguard.daemon.docker;

import io.driftguard.core.model.ContainerId;
import io.driftguard.core.model.Digest;
import io.driftguard.daemon.policy.ContainerFacts;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the daemon knows of a running container, from one inspect; events name it by id, name,
 * image and image id. {@code image} is the text it was started with (a short name, a reference or
 * an id prefix, as Docker's Config.Image keeps it): policies match it as typed. {@code imageId}
 * may be null where Docker gave none. {@code pid} is its init process in the host's PID
 * namespace; {@code /proc/PID/root} reaches its root mount.
 */
public record ContainerInfo(ContainerId id, String name, String image, Digest imageId, int pid,
                            Map<String, String> labels, List<String> path) {
    public ContainerInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        labels = Map.copyOf(labels);
        path = List.copyOf(path);
    }

    public ContainerFacts facts() {
        return new ContainerFacts(name, image, labels);
    }

    public ContainerInfo renamed(String newName) {
        return new ContainerInfo(id, newName, image, imageId, pid, labels, path);
    }
}
