package io.driftguard.scan.config;

import java.nio.file.Path;

/** Where a registry's credentials come from; at most one source per registry. */
public sealed interface CredentialSource {
    /** No credentials: anonymous access, or anonymous bearer tokens. */
    record Anonymous() implements CredentialSource {
    }

    /** {@code username} plus a file holding the password, so that the config itself holds no secret. */
    record UsernamePassword(String username, Path passwordFile) implements CredentialSource {
    }

    /** A Docker client config.json: its {@code auths}, {@code credHelpers} and {@code credsStore}. */
    record DockerConfig(Path file) implements CredentialSource {
    }

    /** A credential helper program {@code docker-credential-NAME}. */
    record Helper(String name) implements CredentialSource {
    }
}
