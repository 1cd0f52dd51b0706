package io.driftguard.daemon.enforce;

import io.driftguard.daemon.policy.Action;
import io.driftguard.daemon.policy.Policy;
import io.driftguard.daemon.policy.ProcessRule;

/** A process rule together with its policy and the action it really takes under the policy's mode. */
public record RuleRef(Policy policy, ProcessRule rule) {
    public Action action() {
        return rule.action().under(policy.mode());
    }
}
