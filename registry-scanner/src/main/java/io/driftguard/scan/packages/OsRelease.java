package io.driftguard.scan.packages;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The image's OS from {@code etc/os-release} (os-release(5)): shell-style {@code KEY=value}
 * lines, values optionally quoted. {@code id} and {@code versionId} pick the advisory ecosystem.
 */
public record OsRelease(String id, String versionId, String prettyName) {
    public static final OsRelease UNKNOWN = new OsRelease("", "", "");

    public static OsRelease parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.startsWith("#") || eq <= 0) {
                continue;
            }
            values.put(l.substring(0, eq), unquote(l.substring(eq + 1).strip()));
        }
        return new OsRelease(values.getOrDefault("ID", ""), values.getOrDefault("VERSION_ID", ""),
                values.getOrDefault("PRETTY_NAME", ""));
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return v;
    }

    /**
     * The OSV ecosystem prefix of this OS's advisories ("Debian:12", "Alpine:v3.18",
     * "Ubuntu:22.04", "Rocky Linux:9", "AlmaLinux:9", "Red Hat:enterprise_linux:9"); empty when
     * no imported ecosystem covers it.
     */
    public Optional<String> ecosystem() {
        String major = versionId.contains(".") ? versionId.substring(0, versionId.indexOf('.')) : versionId;
        return Optional.ofNullable(switch (id) {
            case "debian" -> versionId.isEmpty() ? null : "Debian:" + major;
            case "ubuntu" -> "Ubuntu:" + versionId;
            case "alpine" -> alpine();
            case "rocky" -> "Rocky Linux:" + major;
            case "almalinux" -> "AlmaLinux:" + major;
            case "rhel" -> "Red Hat:enterprise_linux:" + major;
            default -> null;
        });
    }

    private String alpine() {
        String[] parts = versionId.split("\\.");
        return parts.length >= 2 ? "Alpine:v" + parts[0] + "." + parts[1] : null;
    }

    public boolean known() {
        return !id.isEmpty();
    }
}
