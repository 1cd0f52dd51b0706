package io.driftguard.daemon.enforce;

import io.driftguard.core.event.EventDispatcher;

/**
 * What every sensor shares: where events go, the worker threads and the fail-mode settings;
 * {@code baselines} is null where drift, profile and file rules are not available.
 */
record Enforcement(EventDispatcher events, DecisionWorkers workers, EnforcementSettings settings,
                   BaselineServices baselines) {
}
