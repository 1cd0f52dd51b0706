package io.driftguard.daemon.bpf;

import io.driftguard.daemon.docker.ContainerInfo;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Attaches eBPF enforcement to a container's cgroup. {@link BpfEnforcer} is the real one; unit
 * tests of the sensors stand in for it, having no container cgroup to attach to.
 */
public interface CgroupEnforcer {
    /** What this kernel allows, learnt at start. */
    BpfProbe probe();

    /** See {@link BpfEnforcer#attach}. */
    ContainerHandle attach(ContainerInfo container, Path cgroupDir, ContainerRules rules) throws IOException;
}
