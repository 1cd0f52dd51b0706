package io.driftguard.scan.archfixture.registry;

import io.driftguard.scan.archfixture.auth.TokenFetcher;

/** registry using auth, as it may. */
public class Client {
    public TokenFetcher auth;
}
