package io.driftguard.core.config;

import io.driftguard.core.toml.TomlTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Who this host is in a shared store, from {@code [daemon] host_id}; by default the machine id
 * (/etc/machine-id), which stays the same across host name changes. Every event row carries it.
 */
public final class HostId {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Path MACHINE_ID = Path.of("/etc/machine-id");

    private HostId() {
    }

    /** Reads {@code host_id} of the {@code [daemon]} table; a bad value is a problem naming the key. */
    public static String read(TomlTable daemon) {
        String id = daemon.string("host_id").orElseGet(HostId::machineId);
        if (!VALID.matcher(id).matches()) {
            daemon.problem("host_id", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return id;
    }

    private static String machineId() {
        try {
            String id = Files.readString(MACHINE_ID).strip();
            if (!id.isEmpty()) {
                return id;
            }
        } catch (IOException missing) {
            // Containers and minimal systems may have none: the host name stands in.
        }
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
