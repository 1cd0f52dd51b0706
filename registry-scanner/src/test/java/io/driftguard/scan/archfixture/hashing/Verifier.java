package io.driftguard.scan.archfixture.hashing;

import io.driftguard.scan.archfixture.drift.History;

/** hashing using drift: what hashing did when the scanner's store lived in drift. */
public class Verifier {
    public History history;
}
