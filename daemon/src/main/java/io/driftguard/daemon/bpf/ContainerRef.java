package io.driftguard.daemon.bpf;

import java.util.Objects;

/** The container that rules are attached to, as events name it. Image fields may be null. */
public record ContainerRef(String id, String name, String image, String imageId) {
    public ContainerRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
