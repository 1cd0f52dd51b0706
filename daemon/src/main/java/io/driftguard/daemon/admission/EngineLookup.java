package io.driftguard.daemon.admission;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The questions a decision asks the Docker engine over its local socket. Each answers within a
 * short timeout or throws {@link LookupFailed}, which denies the request.
 */
public interface EngineLookup {
    /** A container by name, id or id prefix, as Docker resolves it; empty when there is none. */
    Optional<ExistingContainer> container(String nameOrId);

    /** A local image by reference or id; empty when the engine does not have it. */
    Optional<LocalImage> image(String reference);

    /** The host folder behind a named volume (a local volume with o=bind); empty for an ordinary volume. */
    Optional<String> volumeHostPath(String name);

    /** The engine's default OCI runtime. */
    String defaultRuntime();

    /** Every running container, with its settings in the create request's form (inspect's Config and HostConfig). */
    List<RunningContainer> running();

    /** A running container and what it was created with. */
    record RunningContainer(String id, String name, com.fasterxml.jackson.databind.JsonNode createForm) {
    }

    /** A container that exists: the facts a policy selects on and the user it runs as. */
    record ExistingContainer(String id, String name, String image, Map<String, String> labels, String user) {
        public ExistingContainer {
            labels = Map.copyOf(labels);
        }
    }

    /** A local image: its id and the registry digests ("repo@sha256:...") it was pulled by. */
    record LocalImage(String id, List<String> repoDigests) {
        public LocalImage {
            repoDigests = List.copyOf(repoDigests);
        }
    }

    /** The engine did not answer in time, or answered with an error. */
    final class LookupFailed extends RuntimeException {
        public LookupFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
