package io.driftguard.daemon.admission;

import java.util.Map;
import java.util.Optional;

/**
 * The local volume driver mounts {@code device} with {@code type} and {@code o} (volume/local's
 * parseOptions): with o=bind, or type none, the volume is the host folder {@code device}.
 */
public final class LocalVolumes {
    private LocalVolumes() {
    }

    public static Optional<String> hostPath(Map<String, String> options) {
        String device = options.getOrDefault("device", "");
        String o = options.getOrDefault("o", "");
        boolean bind = o.equals("bind") || o.startsWith("bind,") || o.contains(",bind,") || o.endsWith(",bind")
                || o.contains("rbind") || options.getOrDefault("type", "").equals("none");
        return bind && !device.isEmpty() ? Optional.of(device) : Optional.empty();
    }
}
