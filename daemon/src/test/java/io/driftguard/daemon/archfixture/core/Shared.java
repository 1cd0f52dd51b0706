package io.driftguard.daemon.archfixture.core;

import io.driftguard.daemon.archfixture.policy.Rule;

/** core using a class of the daemon: core depends on neither program. */
public class Shared {
    public Rule rule;
}
