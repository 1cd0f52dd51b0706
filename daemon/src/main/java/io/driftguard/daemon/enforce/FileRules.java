package io.driftguard.daemon.enforce;

import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.files.FileWatch;
import io.driftguard.daemon.files.ProtectedPaths;
import io.driftguard.daemon.policy.Action;
import io.driftguard.daemon.policy.FileRule;
import io.driftguard.daemon.policy.Mode;
import io.driftguard.daemon.policy.Policy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code [[policy.file]]} rules of one container: alert rules (and block rules of audit-mode
 * policies) watched with fanotify notifications, block rules made read-only. Null when there are none.
 */
final class FileRules implements AutoCloseable {
    private final FileWatch watch;
    private final ProtectedPaths protectedPaths;
    private final List<FileWatch.Watched> watched;
    private final List<FileWatch.Watched> blocked;

    private FileRules(FileWatch watch, ProtectedPaths protectedPaths, List<FileWatch.Watched> watched,
                      List<FileWatch.Watched> blocked) {
        this.watch = watch;
        this.protectedPaths = protectedPaths;
        this.watched = watched;
        this.blocked = blocked;
    }

    static FileRules attach(ContainerInfo container, List<Policy> policies, Enforcement enforcement) throws IOException {
        List<FileWatch.Watched> watched = new ArrayList<>();
        List<FileWatch.Watched> blocked = new ArrayList<>();
        for (Policy policy : policies) {
            for (FileRule rule : policy.fileRules()) {
                (rule.action().under(policy.mode()) == Action.BLOCK ? blocked : watched).add(new FileWatch.Watched(policy, rule));
            }
        }
        if (watched.isEmpty() && blocked.isEmpty()) {
            return null;
        }
        if (enforcement.baselines() == null) {
            throw new IOException("file rules need the baseline services, which are not open");
        }
        FileWatch watch = watched.isEmpty() ? null : FileWatch.attach(container, watched, enforcement.events());
        try {
            ProtectedPaths protect = blocked.isEmpty() ? null
                    : ProtectedPaths.attach(container, blocked, enforcement.baselines().mounts(), enforcement.events());
            return new FileRules(watch, protect, watched, blocked);
        } catch (IOException | RuntimeException e) {
            if (watch != null) {
                closeQuietly(watch);
            }
            throw e;
        }
    }

    List<SensorStatus.RuleStatus> ruleStatus() {
        List<SensorStatus.RuleStatus> rules = new ArrayList<>();
        for (FileWatch.Watched w : watched) {
            String mechanism = "fanotify notifications (FAN_REPORT_DFID_NAME) on " + watch.directories()
                    + " watched directories" + (w.policy().mode() == Mode.AUDIT && w.rule().action() == Action.BLOCK
                    ? " (audit mode: reported, not made read-only)" : "");
            rules.add(new SensorStatus.RuleStatus(w.policy().name(), w.rule().name(), "file",
                    w.rule().action().under(w.policy().mode()).name().toLowerCase(Locale.ROOT), mechanism,
                    w.rule().paths().size()));
        }
        for (FileWatch.Watched w : blocked) {
            rules.add(new SensorStatus.RuleStatus(w.policy().name(), w.rule().name(), "file",
                    Action.BLOCK.name().toLowerCase(Locale.ROOT), "read-only bind mount in the container's mount namespace "
                    + protectedPaths.paths(), w.rule().paths().size()));
        }
        return rules;
    }

    private static void closeQuietly(FileWatch watch) {
        try {
            watch.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (protectedPaths != null) {
            protectedPaths.close();
        }
        if (watch != null) {
            watch.close();
        }
    }
}
