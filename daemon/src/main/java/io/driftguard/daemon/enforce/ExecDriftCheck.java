package io.driftguard.daemon.enforce;

import io.driftguard.core.event.EventKind;
import io.driftguard.daemon.baseline.BaselineFile;
import io.driftguard.daemon.baseline.ImageBaseline;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.policy.Action;
import io.driftguard.daemon.policy.Mode;
import io.driftguard.daemon.policy.Policy;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code [policy.drift]}: an exec of a file that is not the image's own is blocked or reported. */
final class ExecDriftCheck implements ExecCheck {
    private static final String RULE = "drift";
    private final ContainerInfo container;
    private final Policy policy;
    private final ImageBaseline baseline;

    ExecDriftCheck(ContainerInfo container, Policy policy, ImageBaseline baseline) {
        this.container = container;
        this.policy = policy;
        this.baseline = baseline;
    }

    @Override
    public boolean needsDigest(String path, FileStat stat) {
        return baseline.judge(path, stat, null) == ImageBaseline.Drift.NEEDS_DIGEST;
    }

    @Override
    public SensorStatus.RuleStatus status() {
        return new SensorStatus.RuleStatus(policy.name(), RULE, "drift",
                policy.drift().action().under(policy.mode()).name().toLowerCase(java.util.Locale.ROOT),
                "fanotify FAN_OPEN_EXEC_PERM against the baseline of image " + container.image() + " ("
                        + baseline.files().size() + " files, " + baseline.executables() + " executable)",
                baseline.executables());
    }

    @Override
    public ExecFinding check(int pid, String path, FileStat stat, String sha256,
                             java.util.function.Supplier<io.driftguard.daemon.policy.RuleExceptions.Parent> parent) {
        ImageBaseline.Drift drift = baseline.judge(path, stat, sha256);
        if (drift == ImageBaseline.Drift.UNCHANGED || drift == ImageBaseline.Drift.NEEDS_DIGEST) {
            return null;
        }
        if (policy.drift().except().covers(path, parent)) {
            return ExecFinding.excepted(policy, RULE);
        }
        Action action = policy.drift().action().under(policy.mode());
        String why = drift == ImageBaseline.Drift.ADDED ? "not in image " + container.image() + " (added after start)"
                : "differs from the file of image " + container.image() + " (modified after start)";
        String verb = action != Action.ALERT ? "Blocked exec of "
                : policy.mode() == Mode.AUDIT && policy.drift().action() != Action.ALERT ? "Would have blocked exec of "
                : "Exec of drifted file ";
        Map<String, String> details = new LinkedHashMap<>();
        details.put("drift", drift == ImageBaseline.Drift.ADDED ? "added" : "modified");
        details.put("path", path);
        BaselineFile image = baseline.file(path);
        if (image != null) {
            details.put("image_sha256", image.sha256());
        }
        if (sha256 != null) {
            details.put("sha256", sha256);
        }
        return new ExecFinding(policy, RULE, action, EventKind.DRIFT, verb + path + " in container " + container.name()
                + ": " + why + (policy.mode() == Mode.AUDIT ? " (audit mode)" : ""), details);
    }
}
