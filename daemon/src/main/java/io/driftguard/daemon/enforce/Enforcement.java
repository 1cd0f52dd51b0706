package io.driftguard.daemon.enforce;

import io.driftguard.core.event.EventDispatcher;
import io.driftguard.daemon.bpf.CgroupEnforcer;

/**
 * What every sensor shares: where events go, the worker threads, the fail-mode settings, the
 * loaded eBPF programs ({@code bpf} is null when they could not be loaded; {@code bpfError} says
 * why), the baseline services ({@code baselines} is null where drift, profile and file rules
 * are not available), where exec guards get their fanotify groups, and who counts the answers
 * ({@code observer}).
 */
record Enforcement(EventDispatcher events, DecisionWorkers workers, EnforcementSettings settings, CgroupEnforcer bpf,
                   String bpfError, BaselineServices baselines, ExecGroups groups, DecisionObserver observer) {
}
