package io.driftguard.scan.archfixture.config;

import io.driftguard.scan.archfixture.registry.Client;

/** config using registry: the config -> registry dependency that once was. */
public class Reader {
    public Client client;
}
