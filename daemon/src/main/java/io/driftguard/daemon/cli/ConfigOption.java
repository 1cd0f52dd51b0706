package io.driftguard.daemon.cli;

import io.driftguard.core.toml.ConfigException;
import io.driftguard.core.toml.ConfigProblem;
import io.driftguard.daemon.app.DaemonConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every command shares. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "/etc/driftguard/driftguard.toml",
            description = "Config file (default: ${DEFAULT-VALUE}).")
    Path file;

    /**
     * The config of a command that works on the shared store; null, with the reason on stderr,
     * when it names none (the command then exits 2).
     */
    DaemonConfig loadShared(String command) throws ConfigException {
        DaemonConfig settings = load();
        if (!(settings.store() instanceof io.driftguard.core.store.StoreSettings.Postgres)) {
            System.err.println(command + " needs a shared store: set [store] url in " + settings.file());
            return null;
        }
        return settings;
    }

    DaemonConfig load() throws ConfigException {
        if (!Files.exists(file)) {
            throw new ConfigException(List.of(new ConfigProblem(file, 0, "", "no config here; pass --config FILE")));
        }
        return DaemonConfig.load(file);
    }
}
