package io.driftguard.daemon.enforce;

import io.driftguard.daemon.baseline.BaselineServices;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.policy.Policy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Prepares the drift and profile checks of one container at attach time, loading what they need. */
final class ExecChecks {
    private ExecChecks() {
    }

    static List<ExecCheck> prepare(ContainerInfo container, List<Policy> policies, BaselineServices services)
            throws IOException {
        List<ExecCheck> checks = new ArrayList<>();
        for (Policy policy : policies) {
            if ((policy.drift() != null || policy.profile() != null) && services == null) {
                throw new IOException("policy " + policy.name() + " has drift or profile rules, but no baseline store is open");
            }
            if (policy.drift() != null) {
                checks.add(new DriftCheck(container, policy, services.baselines().get(container.imageId(), container.image())));
            }
            if (policy.profile() != null) {
                checks.add(new ProfileCheck(container, policy,
                        services.profiles().get(container.imageId(), container.image(), policy.profile())));
            }
        }
        return checks;
    }
}
