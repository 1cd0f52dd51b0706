package io.driftguard.daemon.admission;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The settings a configuration-drift report compares, as stored between creates. */
record SettingsSummary(String image, String digest, boolean privileged, List<String> capabilities, List<String> mounts,
                       String networkMode, String user) {
    SettingsSummary {
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
    }

    static SettingsSummary of(ContainerSettings settings, String digest) {
        List<String> mounts = new ArrayList<>();
        settings.hostMounts().forEach(m -> mounts.add(m.source() + ":" + m.target()));
        settings.namedVolumes().forEach(v -> mounts.add("volume " + v));
        List<String> caps = new ArrayList<>(settings.capAdd());
        caps.addAll(settings.capabilities());
        return new SettingsSummary(settings.image(), digest, settings.privileged(), caps.stream().sorted().toList(),
                mounts.stream().sorted().toList(), settings.namespaces().getOrDefault("NetworkMode", ""), settings.user());
    }

    /** What {@code now} changes, one phrase each; empty when nothing compared differs. */
    List<String> changesTo(SettingsSummary now) {
        List<String> changes = new ArrayList<>();
        if (!image.equals(now.image) || !digest.equals(now.digest)) {
            changes.add("Image changed from '" + image + "'" + (digest.isEmpty() ? "" : " (" + digest + ")")
                    + " to '" + now.image + "'" + (now.digest.isEmpty() ? "" : " (" + now.digest + ")"));
        }
        if (privileged != now.privileged) {
            changes.add("privileged " + privileged + " -> " + now.privileged);
        }
        if (!capabilities.equals(now.capabilities)) {
            changes.add("capabilities " + capabilities + " -> " + now.capabilities);
        }
        if (!mounts.equals(now.mounts)) {
            changes.add("mounts " + mounts + " -> " + now.mounts);
        }
        if (!Objects.equals(networkMode, now.networkMode)) {
            changes.add("network mode '" + networkMode + "' -> '" + now.networkMode + "'");
        }
        if (!Objects.equals(user, now.user)) {
            changes.add("user '" + user + "' -> '" + now.user + "'");
        }
        return changes;
    }
}
