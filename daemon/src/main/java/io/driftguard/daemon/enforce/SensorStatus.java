package io.driftguard.daemon.enforce;

import io.driftguard.core.model.ContainerId;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code driftguard status} shows of one container. {@code error} says what is not enforced:
 * everything (attaching failed) or a part (eBPF rules, while the fanotify rules hold).
 */
public record SensorStatus(ContainerId containerId, String containerName, String image, List<String> policies,
                           List<RuleStatus> rules, long decisions, boolean isolated, String error) {
    public SensorStatus {
        policies = List.copyOf(policies);
        rules = List.copyOf(rules);
    }

    /** One rule on one container and the kernel mechanism that enforces it. */
    public record RuleStatus(String policy, String rule, String kind, String action, String mechanism, long filesResolved) {
        /** The order status shows: by policy, rule, kind and mechanism, the same on every run. */
        public static final Comparator<RuleStatus> ORDER = Comparator.comparing(RuleStatus::policy)
                .thenComparing(RuleStatus::rule).thenComparing(RuleStatus::kind).thenComparing(RuleStatus::mechanism);
    }
}
