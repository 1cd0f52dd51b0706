package io.driftguard.daemon.cli;

import io.driftguard.core.toml.ConfigException;
import io.driftguard.daemon.app.DaemonConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option every command shares. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "/etc/driftguard/driftguard.toml",
            description = "Config file (default: ${DEFAULT-VALUE}).")
    Path file;

    DaemonConfig load() throws ConfigException {
        return DaemonConfig.load(file);
    }
}
