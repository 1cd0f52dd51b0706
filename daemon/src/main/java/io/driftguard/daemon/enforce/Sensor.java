package io.driftguard.daemon.enforce;

import io.driftguard.core.log.Log;
import io.driftguard.daemon.bpf.BpfException;
import io.driftguard.daemon.bpf.CgroupPaths;
import io.driftguard.daemon.bpf.ContainerHandle;
import io.driftguard.daemon.bpf.ContainerRules;
import io.driftguard.daemon.bpf.RuleMechanism;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.policy.Policy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Everything enforced on one container, attached and released as a unit: the exec guard
 * (fanotify) and the container's eBPF handle (network, syscall and by-name rules, isolation). A
 * new policy set builds a new sensor before the old one is closed; the eBPF handle, of which a
 * cgroup can have only one, is handed over and its rules replaced in place (isolation stays).
 */
final class Sensor implements AutoCloseable {
    private static final Log LOG = Log.of(Sensor.class);

    private final ContainerInfo container;
    private final List<Policy> policies;
    /** Volatile: the watchdog reads it. */
    private volatile ExecGuard exec;
    private FileRules files;
    private ContainerHandle kernel;
    private String kernelError;
    private List<String> refusedRules = List.of();
    private boolean handedOver;
    private boolean filesPending;

    private Sensor(ContainerInfo container, List<Policy> policies) {
        this.container = container;
        this.policies = List.copyOf(policies);
    }

    /**
     * Attaches at {@code root}. Before runc's pivot_root (the start hook) the file rules wait for
     * {@link #attachFiles}: their read-only mounts are made by path inside the container.
     */
    static Sensor attach(ContainerInfo container, ContainerRoot root, List<Policy> policies, Enforcement enforcement,
                         Sensor previous) throws IOException {
        Sensor sensor = new Sensor(container, policies);
        BpfRules split = BpfRules.split(policies, enforcement.bpf() == null ? null : enforcement.bpf().probe());
        sensor.refusedRules = split.refused();
        ContainerRules previousRules = previous == null || previous.kernel == null ? null : previous.kernel.rules();
        sensor.attachKernel(split, root, enforcement, previous);
        try {
            List<ExecCheck> checks = ExecChecks.prepare(container, policies, enforcement);
            if (!split.fanotify().isEmpty() || !checks.isEmpty()) {
                sensor.exec = ExecGuard.attach(container, root, split.fanotify(), split.kernelNames(), checks,
                        enforcement.events(), enforcement.groups(), enforcement.workers(), enforcement.settings(), sensor::isolate,
                        enforcement.observer());
            }
            sensor.filesPending = root.beforePivot();
            if (!sensor.filesPending) {
                sensor.files = FileRules.attach(container, policies, enforcement);
            }
        } catch (IOException | RuntimeException e) {
            sensor.closeExec();
            if (previous != null && previous.kernel == null && sensor.handedOver) {
                sensor.handBack(previous, previousRules);
            } else {
                sensor.closeKernel();
            }
            throw e;
        }
        return sensor;
    }

    /** eBPF failures leave the fanotify rules in force; status and an event say what is missing. */
    /** True until the file rules of a sensor attached before pivot_root are attached too. */
    boolean filesPending() {
        return filesPending;
    }

    /** The file rules of a sensor attached before pivot_root, once the container runs. */
    void attachFiles(Enforcement enforcement) throws IOException {
        files = FileRules.attach(container, policies, enforcement);
        filesPending = false;
    }

    private void attachKernel(BpfRules split, ContainerRoot root, Enforcement enforcement, Sensor previous) {
        if (enforcement.bpf() == null) {
            if (split.needsKernel()) {
                kernelError = "eBPF is unavailable: " + enforcement.bpfError();
            }
            return;
        }
        try {
            ContainerRules rules = split.kernel().drift().isEmpty() ? split.kernel()
                    : split.kernel().withDevices(ContainerMounts.devices(root));
            if (previous != null && previous.kernel != null) {
                kernel = previous.kernel;
                previous.kernel = null;
                handedOver = true;
                if (!kernel.rules().equals(rules)) {
                    kernel.replaceRules(rules);
                }
                return;
            }
            kernel = enforcement.bpf().attach(container, CgroupPaths.cgroupDirOf(container.pid()), rules);
        } catch (IOException | RuntimeException e) {
            kernelError = "eBPF rules not attached: " + e.getMessage();
            LOG.error("container " + container.name() + ": " + kernelError);
        }
    }

    /**
     * After a failed reload the old sensor stays in force: it gets its eBPF handle back, and the
     * handle the old sensor's rules, which the new sensor had already put in their place.
     */
    private void handBack(Sensor previous, ContainerRules previousRules) {
        previous.kernel = kernel;
        kernel = null;
        if (previous.kernel.rules().equals(previousRules)) {
            return;
        }
        try {
            previous.kernel.replaceRules(previousRules);
        } catch (BpfException | RuntimeException e) {
            previous.kernelError = "eBPF rules of the failed reload still in force: " + e.getMessage();
            LOG.error("container " + container.name() + ": " + previous.kernelError);
        }
    }

    private void closeExec() {
        if (exec != null) {
            try {
                exec.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exec = null;
        }
    }

    ContainerInfo container() {
        return container;
    }

    List<Policy> policies() {
        return policies;
    }

    String kernelError() {
        return kernelError;
    }

    /** Rules left out because the kernel side could not take them; the others are in force. */
    List<String> refusedRules() {
        return refusedRules;
    }

    /** See {@link ExecGuard#progressing}; true without an exec guard. */
    boolean progressing(long now) {
        ExecGuard guard = exec;
        return guard == null || guard.progressing(now);
    }

    boolean isolated() {
        return kernel != null && kernel.isolated();
    }

    /** Cuts the container's network until {@link #release}; false when eBPF is not attached. */
    boolean isolate(String reason) {
        if (kernel == null) {
            LOG.error("cannot isolate container " + container.name() + ": " + (kernelError == null ? "eBPF is not attached" : kernelError));
            return false;
        }
        try {
            kernel.isolate(reason);
            return true;
        } catch (BpfException e) {
            LOG.error("cannot isolate container " + container.name() + ": " + e.getMessage());
            return false;
        }
    }

    boolean release(String reason) {
        if (kernel == null) {
            return false;
        }
        kernel.release(reason);
        return true;
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
                        ref.action().name().toLowerCase(Locale.ROOT), mechanism, resolved));
            }
        }
        if (kernel != null) {
            for (RuleMechanism m : kernel.mechanisms()) {
                rules.add(new SensorStatus.RuleStatus(m.policy(), m.rule(), m.kind().name().toLowerCase(Locale.ROOT),
                        m.action().name().toLowerCase(Locale.ROOT), "eBPF " + m.mechanism(), 0));
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

    private void closeKernel() {
        if (kernel != null) {
            kernel.close();
            kernel = null;
        }
    }

    @Override
    public void close() {
        try {
            closeExec();
            if (files != null) {
                files.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeKernel();
        }
    }
}
