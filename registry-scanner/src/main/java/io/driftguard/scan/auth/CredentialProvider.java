package io.driftguard.scan.auth;

import io.driftguard.scan.config.CredentialSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Optional;

/** Resolves a registry's credential source once per run, on first need. */
public final class CredentialProvider {
    private final CredentialSource source;
    private final String host;
    private Optional<BasicCredentials> resolved;

    public CredentialProvider(CredentialSource source, String host) {
        this.source = source;
        this.host = host;
    }

    public synchronized Optional<BasicCredentials> get() throws IOException {
        if (resolved == null) {
            resolved = resolve();
        }
        return resolved;
    }

    private Optional<BasicCredentials> resolve() throws IOException {
        if (source instanceof CredentialSource.UsernamePassword up) {
            String password;
            try {
                password = Files.readString(up.passwordFile(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("cannot read password_file " + up.passwordFile() + ": " + e.getMessage(), e);
            }
            // Files written with echo end in a newline that is no part of the password.
            return Optional.of(new BasicCredentials(up.username(), password.strip()));
        }
        if (source instanceof CredentialSource.DockerConfig dc) {
            return DockerConfigCredentials.lookup(dc.file(), host, CredentialHelper::onPath);
        }
        if (source instanceof CredentialSource.Helper helper) {
            return CredentialHelper.onPath(helper.name()).get(host);
        }
        return Optional.empty();
    }
}
