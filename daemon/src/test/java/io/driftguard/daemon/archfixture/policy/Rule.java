package io.driftguard.daemon.archfixture.policy;

import io.driftguard.daemon.archfixture.bpf.Cidr;

/** policy using bpf: policy depends on nothing of enforcement. */
public class Rule {
    public Cidr cidr;
}
