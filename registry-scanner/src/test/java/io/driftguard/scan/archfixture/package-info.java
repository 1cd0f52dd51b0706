/**
 * Deliberate violations of the scanner's package rules, one of each kind, laid out like the
 * scanner's own packages: {@code ArchitectureTest} shows that every rule reports them.
 */
package io.driftguard.scan.archfixture;
