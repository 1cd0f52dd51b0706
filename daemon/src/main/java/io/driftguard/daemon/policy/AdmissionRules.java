package io.driftguard.daemon.policy;

import io.driftguard.core.event.Severity;
import io.driftguard.core.model.ImageRef;
import io.driftguard.core.toml.TomlTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Strict parsing of {@code [policy.admission]}; the key names are the documented interface. */
final class AdmissionRules {
    /** Capability names as Docker takes them, without the CAP_ prefix (ALL stands for every one). */
    private static final Pattern CAPABILITY = Pattern.compile("[A-Z][A-Z0-9_]{1,31}");

    private AdmissionRules() {
    }

    static AdmissionRule admission(TomlTable table) {
        if (!table.has("action")) {
            table.problem(null, "missing required key 'action' (deny, alert or isolate)");
        }
        AdmissionRule.AdmissionAction action = PolicyParser.enumValue(table, "action",
                AdmissionRule.AdmissionAction.class, AdmissionRule.AdmissionAction.DENY);
        boolean privileged = table.bool("privileged").orElse(true);
        boolean hostNamespaces = table.bool("host_namespaces").orElse(true);
        List<String> capabilities = table.has("capabilities") ? capabilities(table) : null;
        boolean devices = table.bool("devices").orElse(true);
        List<String> hostPaths = table.has("host_paths") ? hostPaths(table) : null;
        boolean latestTag = table.bool("latest_tag").orElse(true);
        List<String> registries = table.has("registries") ? registries(table) : null;
        boolean approvedOnly = table.bool("approved_only").orElse(false);
        Severity maxSeverity = maxSeverity(table);
        table.finish();
        return new AdmissionRule(action, privileged, hostNamespaces, capabilities, devices, hostPaths, latestTag,
                registries, approvedOnly, maxSeverity);
    }

    /** A vulnerability severity: low, medium, high or critical (info is no vulnerability's). */
    private static Severity maxSeverity(TomlTable table) {
        Optional<String> text = table.string("max_severity");
        if (text.isEmpty()) {
            return null;
        }
        for (Severity s : List.of(Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)) {
            if (s.wire().equals(text.get().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        table.problem("max_severity", "must be one of low, medium, high, critical, not '" + text.get() + "'");
        return null;
    }

    private static List<String> capabilities(TomlTable table) {
        List<String> result = new ArrayList<>();
        List<String> names = table.strings("capabilities");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
            if (CAPABILITY.matcher(name).matches()) {
                result.add(name);
            } else {
                table.problem("capabilities", i, "must be a capability name such as \"NET_BIND_SERVICE\", not '" + names.get(i) + "'");
            }
        }
        return result;
    }

    private static List<String> hostPaths(TomlTable table) {
        List<String> paths = table.strings("host_paths");
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..") || path.contains("/./")
                    || path.contains("//") || (path.length() > 1 && path.endsWith("/"))) {
                table.problem("host_paths", i, "must be an absolute, normalised host path without a trailing '/', not '" + path + "'");
            }
        }
        return paths;
    }

    private static List<String> registries(TomlTable table) {
        List<String> registries = table.strings("registries");
        for (int i = 0; i < registries.size(); i++) {
            if (!ImageRef.REGISTRY.matcher(registries.get(i)).matches()) {
                table.problem("registries", i, "must be a registry host[:port] such as \"registry.example.com\" or \"docker.io\", not '"
                        + registries.get(i) + "'");
            }
        }
        return registries;
    }
}
