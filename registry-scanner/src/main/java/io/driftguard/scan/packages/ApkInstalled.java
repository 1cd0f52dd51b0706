package io.driftguard.scan.packages;

import io.driftguard.scan.version.VersionScheme;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads apk's {@code lib/apk/db/installed}: blank-line separated records of one-letter fields
 * ({@code P:} name, {@code V:} version, {@code A:} architecture, {@code o:} origin, the source
 * package Alpine's advisories name).
 */
public final class ApkInstalled {
    private ApkInstalled() {
    }

    public static List<InstalledPackage> parse(String text) {
        List<InstalledPackage> packages = new ArrayList<>();
        String name = null;
        String version = null;
        String arch = null;
        String origin = null;
        for (String line : (text + "\n\n").split("\n", -1)) {
            if (line.isBlank()) {
                if (name != null && version != null) {
                    packages.add(new InstalledPackage(VersionScheme.APK, name, version, origin, version, arch));
                }
                name = version = arch = origin = null;
            } else if (line.length() >= 2 && line.charAt(1) == ':') {
                String value = line.substring(2).strip();
                switch (line.charAt(0)) {
                    case 'P' -> name = value;
                    case 'V' -> version = value;
                    case 'A' -> arch = value;
                    case 'o' -> origin = value;
                    default -> {
                        // File lists, checksums and dependencies are not needed.
                    }
                }
            }
        }
        return packages;
    }
}
