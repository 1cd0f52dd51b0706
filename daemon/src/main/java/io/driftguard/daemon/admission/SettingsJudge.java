package io.driftguard.daemon.admission;

import io.driftguard.daemon.policy.AdmissionRule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Judges a container's settings against one admission rule; each refusal is named as the user
 * typed it ("--privileged", "--cap-add=SYS_ADMIN"). Settings that only serve to undo the rules
 * (seccomp or AppArmor unconfined, unmasked /proc, another runtime, another cgroup parent) are
 * refused under every rule.
 */
final class SettingsJudge {
    /** Docker's default capability set (oci/caps/defaults.go); granting one of these again is no escalation. */
    private static final Set<String> DOCKER_DEFAULT_CAPS = Set.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD",
            "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE");

    /** Docker's volume names (volume/local: validName). */
    private static final java.util.regex.Pattern VOLUME_NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

    private final EngineLookup engine;
    private final String startRuntime;

    /** {@code startRuntime}: see {@link AdmissionControl}; null means the engine's default runtime. */
    SettingsJudge(EngineLookup engine, String startRuntime) {
        this.engine = engine;
        this.startRuntime = startRuntime;
    }

    List<String> refusals(AdmissionRule rule, ContainerSettings settings) {
        List<String> refused = new ArrayList<>();
        if (!rule.privileged() && settings.privileged()) {
            refused.add("--privileged");
        }
        if (!rule.hostNamespaces()) {
            for (Map.Entry<String, String> ns : settings.namespaces().entrySet()) {
                if (ns.getValue().equalsIgnoreCase("host")) {
                    refused.add(ContainerSettings.NAMESPACE_FLAGS.get(ns.getKey()) + "=host");
                }
            }
        }
        if (rule.capabilities() != null) {
            capabilities(rule.capabilities(), settings, refused);
        }
        if (!rule.devices()) {
            settings.devices().forEach(d -> refused.add("--device=" + d));
            if (settings.deviceCgroupRules()) {
                refused.add("--device-cgroup-rule");
            }
            if (settings.deviceRequests()) {
                refused.add("--gpus");
            }
        }
        if (rule.hostPaths() != null) {
            hostPaths(rule.hostPaths(), settings, refused);
        }
        for (String option : settings.securityOpt()) {
            String normal = option.replace(':', '=').toLowerCase(Locale.ROOT);
            if (normal.equals("seccomp=unconfined") || normal.equals("apparmor=unconfined")
                    || normal.equals("systempaths=unconfined") || normal.equals("label=disable")) {
                refused.add("--security-opt " + option);
            }
        }
        if (settings.unmaskedPaths()) {
            refused.add("MaskedPaths/ReadonlyPaths (unmasked /proc)");
        }
        String allowedRuntime = startRuntime != null ? startRuntime : engine.defaultRuntime();
        if (!settings.runtime().isEmpty() && !settings.runtime().equals(allowedRuntime)) {
            refused.add("--runtime=" + settings.runtime() + (startRuntime != null ? " (only " + startRuntime
                    + ", whose start hook attaches driftguard before the first exec)" : ""));
        }
        if (!settings.cgroupParent().isEmpty()) {
            refused.add("--cgroup-parent=" + settings.cgroupParent());
        }
        return refused;
    }

    private static void capabilities(List<String> allowed, ContainerSettings settings, List<String> refused) {
        for (String cap : settings.capAdd()) {
            String name = cap.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
            if (!allowed.contains(name)) {
                refused.add("--cap-add=" + cap);
            }
        }
        for (String cap : settings.capabilities()) {
            String name = cap.toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
            if (!allowed.contains(name) && !DOCKER_DEFAULT_CAPS.contains(name)) {
                refused.add("Capabilities " + cap);
            }
        }
    }

    private void hostPaths(List<String> allowed, ContainerSettings settings, List<String> refused) {
        List<HostMount> mounts = new ArrayList<>(settings.hostMounts());
        for (String volume : settings.namedVolumes()) {
            if (!VOLUME_NAME.matcher(volume).matches()) {
                throw new Unjudgeable("'" + volume + "' is not a volume name Docker accepts");
            }
            engine.volumeHostPath(volume).ifPresent(path -> mounts.add(new HostMount(path, "", "volume " + volume)));
        }
        for (HostMount mount : mounts) {
            if (!under(allowed, mount.source())) {
                refused.add(mount.how() + " (host path " + mount.source() + ")");
            }
        }
        if (settings.volumesFrom()) {
            refused.add("--volumes-from");
        }
    }

    /** Whether the path, symlinks resolved as the kernel would follow them at mount time, is under an allowed one. */
    static boolean under(List<String> allowed, String source) {
        if (!source.startsWith("/")) {
            return false;
        }
        Path real = realPath(Path.of(source).normalize());
        for (String root : allowed) {
            Path realRoot = realPath(Path.of(root));
            if (real.startsWith(realRoot)) {
                return true;
            }
        }
        return false;
    }

    /** The longest existing prefix resolved, the rest (which Docker would create) appended. */
    private static Path realPath(Path path) {
        Path existing = path;
        Path rest = Path.of("");
        while (existing != null) {
            try {
                return existing.toRealPath().resolve(rest).normalize();
            } catch (IOException missing) {
                Path name = existing.getFileName();
                rest = name == null ? rest : name.resolve(rest);
                existing = existing.getParent();
            }
        }
        return path;
    }
}
