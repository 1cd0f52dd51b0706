package io.driftguard.scan.config;

import io.driftguard.core.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The scanner's part of the config file: the {@code [scan]} settings, the {@code [[registry]]}
 * tables, the image-scan settings ({@code fail_on}, {@code max_db_age},
 * {@code [[scan.ignore]]}), the shared {@code [store]} and this host's {@code [daemon] host_id}.
 */
public record ScanConfig(
        StoreSettings store,
        String hostId,
        int retries,
        Duration retryDelay,
        Duration timeout,
        Duration runTimeout,
        Duration interval,
        long maxManifestBytes,
        int pageSize,
        ImagePolicy images,
        List<RegistryConfig> registries) {

    public ScanConfig {
        registries = List.copyOf(registries);
    }
}
