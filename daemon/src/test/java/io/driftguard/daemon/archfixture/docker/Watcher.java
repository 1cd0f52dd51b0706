package io.driftguard.daemon.archfixture.docker;

import io.driftguard.daemon.archfixture.enforce.Sensors;

/** docker holding the enforcement: with {@link Sensors} the docker <-> enforce cycle that once was. */
public class Watcher {
    public Sensors sensors;
}
