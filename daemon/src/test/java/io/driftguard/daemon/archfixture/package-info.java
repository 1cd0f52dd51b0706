/**
 * Deliberate violations of the daemon's package rules, one of each kind, laid out like the
 * daemon's own packages: {@code ArchitectureTest} shows that every rule reports them.
 */
package io.driftguard.daemon.archfixture;
