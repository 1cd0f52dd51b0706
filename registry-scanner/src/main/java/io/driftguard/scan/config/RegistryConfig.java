package io.driftguard.scan.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One {@code [[registry]]} table, validated. {@code name} is the URL's host[:port], the key under
 * which the registry's tags are kept in the history and named in events.
 */
public record RegistryConfig(
        URI url,
        String name,
        List<String> repositories,
        NameFilter repositoryFilter,
        NameFilter tagFilter,
        List<String> platforms,
        CredentialSource credentials,
        Optional<Path> caFile,
        boolean insecure,
        int concurrency) {

    public RegistryConfig {
        repositories = List.copyOf(repositories);
        platforms = List.copyOf(platforms);
    }

    /** Whether a change of this platform's manifest is reported; no list means every platform. */
    public boolean watches(String platform) {
        return platforms.isEmpty() || platforms.contains(platform);
    }
}
