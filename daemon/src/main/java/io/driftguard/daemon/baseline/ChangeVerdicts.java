package io.driftguard.daemon.baseline;

import io.driftguard.daemon.policy.Action;
import io.driftguard.daemon.policy.FileRule;
import io.driftguard.daemon.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Which policy rules a change breaks, as short phrases ("drift: block by NoDrift"). */
public final class ChangeVerdicts {
    private ChangeVerdicts() {
    }

    public static List<String> of(ContainerDiff.Change change, List<Policy> policies) {
        List<String> verdicts = new ArrayList<>();
        for (Policy policy : policies) {
            if (policy.drift() != null && change.executable() && change.newContent()) {
                verdicts.add("drift: exec " + word(policy.drift().action().under(policy.mode())) + " by " + policy.name());
            }
            for (FileRule rule : policy.fileRules()) {
                if (rule.matches(change.path())) {
                    verdicts.add("file rule " + rule.name() + ": " + word(rule.action().under(policy.mode())) + " by " + policy.name());
                }
            }
        }
        return verdicts;
    }

    private static String word(Action action) {
        return action.name().toLowerCase(Locale.ROOT);
    }
}
