package io.driftguard.daemon.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import io.driftguard.core.model.ContainerId;
import io.driftguard.core.model.Digest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns Docker's inspect answers into {@link ContainerInfo}; a container that is gone gives nothing. */
public final class ContainerInspector {
    private final DockerClient docker;

    public ContainerInspector(DockerClient docker) {
        this.docker = docker;
    }

    public Optional<ContainerInfo> inspect(String id) {
        return fetch(id).flatMap(inspect -> {
            InspectContainerResponse.ContainerState state = inspect.getState();
            Long pid = state == null ? null : state.getPidLong();
            if (state == null || !Boolean.TRUE.equals(state.getRunning()) || pid == null || pid <= 0) {
                return Optional.empty();
            }
            KnownContainer c = knownOf(inspect);
            return Optional.of(new ContainerInfo(c.id(), c.name(), c.image(), c.imageId(), pid.intValue(), c.labels(),
                    searchPath(inspect.getConfig() == null ? null : inspect.getConfig().getEnv())));
        });
    }

    private Optional<InspectContainerResponse> fetch(String id) {
        try {
            return Optional.of(docker.inspectContainerCmd(id).exec());
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
    }

    private static KnownContainer knownOf(InspectContainerResponse inspect) {
        String name = inspect.getName() == null ? inspect.getId() : inspect.getName().replaceFirst("^/", "");
        Map<String, String> labels = inspect.getConfig() == null || inspect.getConfig().getLabels() == null
                ? Map.of() : inspect.getConfig().getLabels();
        String image = inspect.getConfig() == null ? "" : inspect.getConfig().getImage();
        return new KnownContainer(ContainerId.parse(inspect.getId()), name, image,
                inspect.getImageId() == null ? null : Digest.parse(inspect.getImageId()), labels);
    }

    /** Every container Docker has, in any state, from one list call. */
    public List<KnownContainer> all() {
        return docker.listContainersCmd().withShowAll(true).exec().stream().map(ContainerInspector::knownOf).toList();
    }

    /**
     * One container from the list call, which reads the engine's in-memory view: unlike inspect it
     * does not wait for the container's lock, which dockerd holds while the container starts.
     */
    public Optional<KnownContainer> listed(ContainerId id) {
        return docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(id.toString())).exec().stream()
                .filter(c -> id.toString().equals(c.getId())).findFirst().map(ContainerInspector::knownOf);
    }

    private static KnownContainer knownOf(Container c) {
        String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0].replaceFirst("^/", "");
        return new KnownContainer(ContainerId.parse(c.getId()), name, c.getImage() == null ? "" : c.getImage(),
                c.getImageId() == null ? null : Digest.parse(c.getImageId()), c.getLabels() == null ? Map.of() : c.getLabels());
    }

    /** Every running container, inspected; those that stop meanwhile are left out. */
    public List<ContainerInfo> running() {
        List<ContainerInfo> result = new ArrayList<>();
        for (Container container : docker.listContainersCmd().exec()) {
            inspect(container.getId()).ifPresent(result::add);
        }
        return result;
    }

    private static List<String> searchPath(String[] env) {
        if (env != null) {
            for (String entry : env) {
                if (entry.startsWith("PATH=")) {
                    return Arrays.asList(entry.substring(5).split(":"));
                }
            }
        }
        return List.of();
    }
}
