package io.driftguard.daemon.app;

import io.driftguard.core.config.ConfigFile;
import io.driftguard.core.toml.TomlTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code [runtime]}: the OCI runtime wrapper (driftguard-runtime) that Docker runs for every
 * container once {@code driftguard docker setup} registered it, and the daemon's hook socket that
 * its start hook asks. {@code hookSocket} is null when the daemon serves no hook ("").
 * {@code runc} null: found at setup (/usr/bin/runc, /usr/sbin/runc).
 */
public record RuntimeSettings(Path hookSocket, boolean failClosed, Duration timeout, String name, Path binary, Path runc) {
    /** Where the packages install the wrapper. */
    static final String PACKAGE_BINARY = "/usr/bin/driftguard-runtime";

    /**
     * The default hook socket: hook.sock beside the control socket (/run/driftguard/hook.sock);
     * the default binary: the package's, or a source tree build's (DaemonConfig.defaultHelpersDir).
     */
    static RuntimeSettings read(ConfigFile config, TomlTable table, Path controlSocket, String defaultBinary) {
        Path socket = table.string("hook_socket").filter(String::isEmpty).isPresent() ? null
                : config.path(table, "hook_socket", controlSocket.resolveSibling("hook.sock").toString());
        if (socket != null && socket.toString().getBytes(StandardCharsets.UTF_8).length > 107) {
            table.problem("hook_socket", "is longer than the 107 bytes a unix socket path can have");
        }
        String fail = table.string("fail").orElse("closed");
        if (!fail.equals("closed") && !fail.equals("open")) {
            table.problem("fail", "must be closed or open, not '" + fail + "'");
        }
        Duration timeout = ConfigFile.duration(table, "hook_timeout", Duration.ofSeconds(5));
        if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
            table.problem("hook_timeout", "must be between 1ms and 60s: every container start waits this long at most");
        }
        String name = table.string("name").orElse("driftguard");
        if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}")) {
            table.problem("name", "must be 1 to 64 of a-z A-Z 0-9 _ . - (a Docker runtime name), not '" + name + "'");
        }
        Path binary = config.path(table, "binary", defaultBinary);
        Path runc = table.string("runc").filter(s -> !s.isEmpty()).isPresent() ? config.path(table, "runc", "") : null;
        return new RuntimeSettings(socket, fail.equals("closed"), timeout, name, binary, runc);
    }
}
