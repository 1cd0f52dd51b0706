package io.driftguard.daemon.docker;

import io.driftguard.core.model.ContainerId;
import java.util.Collection;

/**
 * What {@link DockerWatcher} reports about containers, implemented by whoever acts on them (the
 * enforcement), so that docker knows nothing of what is done with its news. Called from the
 * watcher's one thread, in the order Docker told it.
 */
public interface ContainerListener {
    /** On every (re)connect: exactly these containers run now; any other one known before is gone. */
    void resynced(Collection<ContainerInfo> running);

    void started(ContainerInfo container);

    /** The container died or was removed (both are reported; the second must be harmless). */
    void stopped(ContainerId id);

    void renamed(ContainerId id, String newName);

    /** On every (re)connect, before {@link #resynced}: every container Docker has, in any state. */
    void known(Collection<KnownContainer> containers);

    /** Docker created the container (it has no process yet). */
    void created(KnownContainer container);

    /** Docker removed the container. */
    void removed(ContainerId id);
}
