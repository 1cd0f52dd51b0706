package io.driftguard.daemon.enforce;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.log.Log;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.policy.Policy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Prepares the drift and profile checks of one container at attach time, loading what they need.
 * A check that cannot be prepared (no overlay2, an unreadable layer) is left out with a critical
 * event, so that the container's other rules are still enforced.
 */
final class ExecChecks {
    private static final Log LOG = Log.of(ExecChecks.class);

    private ExecChecks() {
    }

    static List<ExecCheck> prepare(ContainerInfo container, List<Policy> policies, Enforcement enforcement) {
        BaselineServices services = enforcement.baselines();
        List<ExecCheck> checks = new ArrayList<>();
        for (Policy policy : policies) {
            try {
                if ((policy.drift() != null || policy.profile() != null) && services == null) {
                    throw new IOException("no baseline store is open");
                }
                if (policy.drift() != null) {
                    checks.add(new ExecDriftCheck(container, policy, services.baselines().get(container.imageId(), container.image())));
                }
                if (policy.profile() != null) {
                    checks.add(new ProfileCheck(container, policy,
                            services.profiles().get(container.imageId(), container.image(), policy.profile())));
                }
            } catch (IOException e) {
                LOG.error("container " + container.name() + ": drift and profile rules of policy " + policy.name()
                        + " not enforced: " + e.getMessage());
                enforcement.events().publish(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.CRITICAL)
                        .container(container.id(), container.name(), container.image(), container.imageId())
                        .policy(policy.name(), null)
                        .message("Drift and profile rules of policy " + policy.name() + " are not enforced on container "
                                + container.name() + ": " + e.getMessage())
                        .build());
            }
        }
        return checks;
    }
}
