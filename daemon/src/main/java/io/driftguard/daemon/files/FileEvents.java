package io.driftguard.daemon.files;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.policy.Action;
import java.time.Instant;

/** The events of file integrity monitoring and protected paths, with the sentence a person reads. */
final class FileEvents {
    private FileEvents() {
    }

    static Event changed(ContainerInfo container, FileWatch.Watched watched, String path, String op, Instant at,
                         String before, String after, int pid) {
        String hashes = before == null && after == null ? ""
                : " (sha256 " + (before == null ? "none" : before) + " -> " + (after == null ? "none" : after) + ")";
        // The write has happened: stop and restart report it as alert does, then ask Docker (ResponseSink).
        Action taken = watched.rule().action().under(watched.policy().mode());
        return Event.builder(EventKind.FILE, EventAction.ALERTED, taken.severity())
                .time(at)
                .container(container.id(), container.name(), container.image(), container.imageId())
                .policy(watched.policy().name(), watched.rule().name())
                .process(pid > 0 ? new ProcessInfo(pid, ProcFs.exePath(pid), null, null) : null)
                .detail("operation", op)
                .detail("path", path)
                .detail("old_sha256", before)
                .detail("new_sha256", after)
                .detail("response", taken.response())
                .message("File " + path + " " + op + " in container " + container.name() + " at " + at + hashes + taken.then())
                .build();
    }
}
