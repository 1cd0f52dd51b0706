package io.driftguard.scan.packages;

import io.driftguard.scan.version.VersionScheme;
import java.util.Objects;

/**
 * One installed package as its package database records it. {@code source} and
 * {@code sourceVersion} name what advisories name: the Debian source package, the apk origin, the
 * rpm source name; they equal name and version where the database gives none.
 */
public record InstalledPackage(VersionScheme format, String name, String version, String source, String sourceVersion,
                               String architecture) {
    public InstalledPackage {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        source = source == null || source.isEmpty() ? name : source;
        sourceVersion = sourceVersion == null || sourceVersion.isEmpty() ? version : sourceVersion;
        architecture = architecture == null ? "" : architecture;
    }

    /** The key under which two package lists are compared: format, name and architecture. */
    public String key() {
        return format.name().toLowerCase(java.util.Locale.ROOT) + ":" + name + (architecture.isEmpty() ? "" : ":" + architecture);
    }
}
