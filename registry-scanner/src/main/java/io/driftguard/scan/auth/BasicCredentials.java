package io.driftguard.scan.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A user name and password (or token) for Basic auth and for token requests. */
public record BasicCredentials(String username, String password) {

    public String header() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Keeps the password out of logs and exception messages. */
    @Override
    public String toString() {
        return "BasicCredentials[" + username + "]";
    }
}
