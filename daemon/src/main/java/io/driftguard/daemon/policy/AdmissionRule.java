package io.driftguard.daemon.policy;

import io.driftguard.core.event.Severity;
import java.util.List;

/**
 * A validated {@code [policy.admission]} table: what a container selected by the policy may be
 * created with. A list that is null was not given and does not restrict; an empty list allows
 * nothing (no capability, no host path, no registry). {@code maxSeverity} null: the image's scan
 * does not matter; else the worst vulnerability the image's latest scan may have found.
 */
public record AdmissionRule(AdmissionAction action, boolean privileged, boolean hostNamespaces,
                            List<String> capabilities, boolean devices, List<String> hostPaths,
                            boolean latestTag, List<String> registries, boolean approvedOnly, Severity maxSeverity) {
    public AdmissionRule {
        capabilities = capabilities == null ? null : List.copyOf(capabilities);
        hostPaths = hostPaths == null ? null : List.copyOf(hostPaths);
        registries = registries == null ? null : List.copyOf(registries);
    }

    /** What happens to a request that breaks the rule. */
    public enum AdmissionAction {
        /** Refused; Docker shows the message. */
        DENY,
        /** Let through, with an event. */
        ALERT,
        /** Refused; a running container that breaks the rule has its network cut. */
        ISOLATE;

        public boolean refuses() {
            return this != ALERT;
        }

        /** The action a policy in {@code mode} really takes. */
        public AdmissionAction under(Mode mode) {
            return mode == Mode.AUDIT ? ALERT : this;
        }
    }
}
