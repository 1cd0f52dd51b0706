package io.driftguard.daemon.enforce;

import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.policy.Policy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything enforced on one container, attached and released as a unit: today the exec guard
 * (fanotify). A new policy set builds a new sensor before the old one is closed, so that the
 * container is never unguarded in between.
 */
final class Sensor implements AutoCloseable {
    private final ContainerInfo container;
    private final List<Policy> policies;
    private final ExecGuard exec;
    private final FileRules files;

    private Sensor(ContainerInfo container, List<Policy> policies, ExecGuard exec, FileRules files) {
        this.container = container;
        this.policies = List.copyOf(policies);
        this.exec = exec;
        this.files = files;
    }

    static Sensor attach(ContainerInfo container, List<Policy> policies, Enforcement enforcement) throws IOException {
        List<RuleRef> processRules = new ArrayList<>();
        for (Policy policy : policies) {
            policy.processRules().forEach(rule -> processRules.add(new RuleRef(policy, rule)));
        }
        List<ExecCheck> checks = ExecChecks.prepare(container, policies, enforcement);
        ExecGuard exec = processRules.isEmpty() && checks.isEmpty() ? null : ExecGuard.attach(container, processRules,
                checks, enforcement.events(), enforcement.workers(), enforcement.settings());
        try {
            return new Sensor(container, policies, exec, FileRules.attach(container, policies, enforcement));
        } catch (IOException | RuntimeException e) {
            if (exec != null) {
                closeQuietly(exec);
            }
            throw e;
        }
    }

    private static void closeQuietly(ExecGuard exec) {
        try {
            exec.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    ContainerInfo container() {
        return container;
    }

    List<Policy> policies() {
        return policies;
    }

    /** What enforces each rule here, for {@code driftguard status}. */
    List<SensorStatus.RuleStatus> ruleStatus() {
        List<SensorStatus.RuleStatus> rules = new ArrayList<>();
        if (exec != null) {
            for (RuleRef ref : exec.rules().rules()) {
                String mechanism = ref.rule().argsRegex().isEmpty()
                        ? "fanotify FAN_OPEN_EXEC_PERM on the container's mounts (matches the file that runs)"
                        : "fanotify FAN_OPEN_EXEC_PERM, then an argument check after exec (kills once the arguments are visible)";
                long resolved = exec.rules().resolved().values().stream().flatMap(List::stream)
                        .filter(t -> t.rule().equals(ref)).count();
                rules.add(new SensorStatus.RuleStatus(ref.policy().name(), ref.rule().name(), "process",
                        ref.action().name().toLowerCase(java.util.Locale.ROOT), mechanism, resolved));
            }
        }
        if (exec != null) {
            exec.checks().forEach(check -> rules.add(check.status()));
        }
        if (files != null) {
            rules.addAll(files.ruleStatus());
        }
        return rules;
    }

    long decisions() {
        return exec == null ? 0 : exec.decisions();
    }

    @Override
    public void close() throws InterruptedException {
        if (exec != null) {
            exec.close();
        }
        if (files != null) {
            files.close();
        }
    }
}
