package io.driftguard.daemon.archfixture.enforce;

import io.driftguard.daemon.archfixture.docker.Watcher;

/** enforce using docker, which is allowed; the cycle comes from {@link Watcher}. */
public class Sensors {
    public Watcher watcher;
}
