package io.driftguard.daemon.bpf;

import java.util.Collection;
import java.util.Objects;

/** Validation shared by the rule records; every message names the kind, the rule and the policy. */
final class RuleCheck {
    private final String where;

    /** Checks that policy and rule names are present and an action is given that this kind of rule does not refuse. */
    RuleCheck(String kind, String policy, String rule, KernelAction action, KernelAction refused, String why) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(rule, "rule");
        this.where = kind + " rule " + rule + " of policy " + policy + ": ";
        Objects.requireNonNull(action, where + "action");
        if (action == refused) {
            throw problem(why);
        }
        if (action == KernelAction.ALLOW && !kind.equals("network")) {
            throw problem("allow is an action of network rules only");
        }
    }

    /** Checks that policy, rule and action are present (every action is allowed). */
    RuleCheck(String kind, String policy, String rule, KernelAction action) {
        this(kind, policy, rule, action, null, null);
    }

    void notEmpty(String field, Collection<?> values) {
        if (values.isEmpty()) {
            throw problem(field + " must not be empty");
        }
    }

    IllegalArgumentException problem(String text) {
        return new IllegalArgumentException(where + text);
    }
}
