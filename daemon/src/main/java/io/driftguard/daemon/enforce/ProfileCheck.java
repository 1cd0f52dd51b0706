package io.driftguard.daemon.enforce;

import io.driftguard.core.event.EventKind;
import io.driftguard.daemon.baseline.ImageProfile;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.policy.Action;
import io.driftguard.daemon.policy.Policy;
import java.util.Map;

/** {@code [policy.profile]}: learns the executables of an image, then reports or blocks any other. */
final class ProfileCheck implements ExecCheck {
    private final ContainerInfo container;
    private final Policy policy;
    private final ImageProfile profile;

    ProfileCheck(ContainerInfo container, Policy policy, ImageProfile profile) {
        this.container = container;
        this.policy = policy;
        this.profile = profile;
    }

    @Override
    public boolean needsDigest(String path, FileStat stat) {
        return false;
    }

    @Override
    public SensorStatus.RuleStatus status() {
        return new SensorStatus.RuleStatus(policy.name(), "profile", "profile",
                policy.profile().action().under(policy.mode()).name().toLowerCase(java.util.Locale.ROOT),
                "fanotify FAN_OPEN_EXEC_PERM against the process profile of image " + profile.imageRef()
                        + (profile.learning() ? " (learning: recorded, allowed)" : " (enforcing)"), profile.size());
    }

    @Override
    public ExecFinding check(int pid, String path, FileStat stat, String sha256,
                             java.util.function.Supplier<io.driftguard.daemon.policy.RuleExceptions.Parent> parent) {
        if (profile.learning()) {
            profile.observe(pid, path, sha256, ProcFs.uid(pid));
            return null;
        }
        if (profile.contains(path)) {
            return null;
        }
        Action action = policy.profile().action().under(policy.mode());
        // who started it is added with the user name, on the event writer thread (EventDetails)
        return new ExecFinding(policy, "profile", action, EventKind.PROCESS, (action != Action.ALERT
                ? "Blocked unauthorized process in container " : "Unauthorized process executed in container ")
                + container.name() + ": " + path + ", not in the profile of " + profile.imageRef(),
                Map.of("profile", "outside", "path", path));
    }
}
