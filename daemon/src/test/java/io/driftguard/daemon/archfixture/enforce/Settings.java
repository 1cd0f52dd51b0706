package io.driftguard.daemon.archfixture.enforce;

import io.driftguard.daemon.archfixture.app.Config;

/** enforce reading the daemon's configuration class: only cli may use app. */
public class Settings {
    public Config config;
}
