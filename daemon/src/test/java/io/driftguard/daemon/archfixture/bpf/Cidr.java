package io.driftguard.daemon.archfixture.bpf;

/** A policy value kept in the enforcement package, as Cidr once was. */
public class Cidr {
}
