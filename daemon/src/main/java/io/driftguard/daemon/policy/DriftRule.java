package io.driftguard.daemon.policy;

/**
 * {@code [policy.drift]}: what happens to an exec of a file that is not in the container's image as
 * built; {@code except} names execs it leaves alone.
 */
public record DriftRule(Action action, RuleExceptions except) {
    public DriftRule {
        except = except == null ? RuleExceptions.NONE : except;
    }

    /** A drift rule without exceptions. */
    public DriftRule(Action action) {
        this(action, RuleExceptions.NONE);
    }
}
