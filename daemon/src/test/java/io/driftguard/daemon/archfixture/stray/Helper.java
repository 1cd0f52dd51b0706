package io.driftguard.daemon.archfixture.stray;

/** A package given no place in the layering. */
public class Helper {
}
