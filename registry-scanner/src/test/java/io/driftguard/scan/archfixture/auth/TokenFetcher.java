package io.driftguard.scan.archfixture.auth;

import io.driftguard.scan.archfixture.registry.Client;

/** auth using registry: together with {@link Client} the registry <-> auth cycle that once was. */
public class TokenFetcher {
    public Client client;
}
