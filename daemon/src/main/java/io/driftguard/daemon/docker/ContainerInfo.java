package io.driftguard.daemon.docker;

import io.driftguard.daemon.policy.ContainerFacts;
import java.util.List;
import java.util.Map;

/**
 * What the daemon knows of a running container, from one inspect. {@code pid} is its init
 * process in the host's PID namespace; {@code /proc/PID/root} reaches its root mount.
 */
public record ContainerInfo(String id, String name, String image, String imageId, int pid,
                            Map<String, String> labels, List<String> path) {
    public ContainerInfo {
        labels = Map.copyOf(labels);
        path = List.copyOf(path);
    }

    public String shortId() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    public ContainerFacts facts() {
        return new ContainerFacts(name, image, labels);
    }

    public ContainerInfo renamed(String newName) {
        return new ContainerInfo(id, newName, image, imageId, pid, labels, path);
    }
}
