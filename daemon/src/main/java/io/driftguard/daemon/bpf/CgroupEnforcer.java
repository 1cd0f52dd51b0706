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

    /** See {@link BpfEnforcer#prepare}. */
    void prepare(ContainerInfo container, ContainerRules rules) throws BpfException;

    /** See {@link BpfEnforcer#unprepare}. */
    void unprepare(io.driftguard.core.model.ContainerId containerId) throws BpfException;

    /** See {@link BpfEnforcer#holdUnknown}. */
    void holdUnknown(ContainerRules union) throws BpfException;

    /** See {@link BpfEnforcer#onHold}. */
    void onHold(java.util.function.Consumer<BpfEvent.Held> handler);

    /** See {@link BpfEnforcer#adopt}. */
    void adopt(long cgroupId, io.driftguard.core.model.ContainerId containerId) throws BpfException;
}
