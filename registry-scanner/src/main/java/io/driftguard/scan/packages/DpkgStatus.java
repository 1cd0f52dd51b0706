package io.driftguard.scan.packages;

import io.driftguard.scan.version.VersionScheme;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads dpkg's {@code var/lib/dpkg/status} (and the one-package files distroless images keep in
 * {@code var/lib/dpkg/status.d/}): RFC 822-like stanzas; only packages whose Status is
 * "install ok installed" count. {@code Source: name (version)} gives the source version when it
 * differs from the binary's.
 */
public final class DpkgStatus {
    private DpkgStatus() {
    }

    public static List<InstalledPackage> parse(String text) {
        List<InstalledPackage> packages = new ArrayList<>();
        Stanza stanza = new Stanza();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank()) {
                stanza.add(packages);
                stanza = new Stanza();
            } else if (!Character.isWhitespace(line.charAt(0))) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    stanza.field(line.substring(0, colon), line.substring(colon + 1).strip());
                }
            }
        }
        stanza.add(packages);
        return packages;
    }

    private static final class Stanza {
        private String name;
        private String version;
        private String status;
        private String source;
        private String architecture;

        void field(String key, String value) {
            switch (key) {
                case "Package" -> name = value;
                case "Version" -> version = value;
                case "Status" -> status = value;
                case "Source" -> source = value;
                case "Architecture" -> architecture = value;
                default -> {
                    // Other fields say nothing advisories match on.
                }
            }
        }

        void add(List<InstalledPackage> packages) {
            // status.d files of distroless images carry no Status field: present means installed.
            boolean installed = status == null || status.endsWith(" installed") && status.startsWith("install ");
            if (name == null || version == null || !installed) {
                return;
            }
            String sourceName = source;
            String sourceVersion = null;
            if (source != null) {
                int open = source.indexOf(" (");
                if (open > 0 && source.endsWith(")")) {
                    sourceName = source.substring(0, open);
                    sourceVersion = source.substring(open + 2, source.length() - 1).strip();
                }
            }
            packages.add(new InstalledPackage(VersionScheme.DPKG, name, version, sourceName, sourceVersion, architecture));
        }
    }
}
