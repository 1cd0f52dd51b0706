package io.driftguard.scan.archfixture.stray;

/** A package that has no place in the layering. */
public class Helper {
}
