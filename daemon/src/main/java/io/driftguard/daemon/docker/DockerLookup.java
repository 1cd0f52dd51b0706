package io.driftguard.daemon.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.driftguard.core.model.Digest;
import java.io.IOException;
import java.util.Optional;

/** One-off questions to the engine for the command line, each on its own short-lived client. */
public final class DockerLookup {
    private DockerLookup() {
    }

    /** A running container by name or id. */
    public static Optional<ContainerInfo> runningContainer(String socket, String nameOrId) throws IOException {
        try (DockerClient docker = DockerConnection.open(socket)) {
            return new ContainerInspector(docker).inspect(nameOrId);
        }
    }

    /** The id of a local image by reference; empty when the engine does not know it. */
    public static Optional<Digest> imageId(String socket, String reference) throws IOException {
        try (DockerClient docker = DockerConnection.open(socket)) {
            return Optional.ofNullable(docker.inspectImageCmd(reference).exec().getId()).map(Digest::parse);
        } catch (NotFoundException unknown) {
            return Optional.empty();
        }
    }
}
