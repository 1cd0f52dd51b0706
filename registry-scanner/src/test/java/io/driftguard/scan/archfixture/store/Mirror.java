package io.driftguard.scan.archfixture.store;

import java.net.http.HttpClient;

/** HTTP outside the packages that talk to registries. */
public class Mirror {
    public HttpClient http;
}
