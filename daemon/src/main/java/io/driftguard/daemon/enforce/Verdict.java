package io.driftguard.daemon.enforce;

import io.driftguard.daemon.policy.Action;
import java.util.List;

/**
 * The answer to one exec. {@code rule} is the strongest matching rule (null: nothing matched);
 * {@code ignoreFromNowOn} says the kernel may stop asking about this file until it changes;
 * {@code reason} says how it matched ("name sh, which is /bin/busybox here");
 * {@code afterExec} are rules that can only be checked once the new program's arguments exist.
 */
public record Verdict(RuleRef rule, String reason, boolean ignoreFromNowOn, List<RuleRef> afterExec) {

    public Verdict {
        afterExec = List.copyOf(afterExec);
    }

    public boolean allows() {
        return rule == null || rule.action() == Action.ALERT;
    }
}
