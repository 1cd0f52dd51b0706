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
        InspectContainerResponse inspect;
        try {
            inspect = docker.inspectContainerCmd(id).exec();
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
        InspectContainerResponse.ContainerState state = inspect.getState();
        Long pid = state == null ? null : state.getPidLong();
        if (state == null || !Boolean.TRUE.equals(state.getRunning()) || pid == null || pid <= 0) {
            return Optional.empty();
        }
        String name = inspect.getName() == null ? id : inspect.getName().replaceFirst("^/", "");
        Map<String, String> labels = inspect.getConfig() == null || inspect.getConfig().getLabels() == null
                ? Map.of() : inspect.getConfig().getLabels();
        String image = inspect.getConfig() == null ? "" : inspect.getConfig().getImage();
        return Optional.of(new ContainerInfo(ContainerId.parse(inspect.getId()), name, image,
                inspect.getImageId() == null ? null : Digest.parse(inspect.getImageId()), pid.intValue(),
                labels, searchPath(inspect.getConfig() == null ? null : inspect.getConfig().getEnv())));
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
