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

    DaemonConfig load() throws ConfigException {
        if (!Files.exists(file)) {
            throw new ConfigException(List.of(new ConfigProblem(file, 0, "", "no config here; pass --config FILE")));
        }
        return DaemonConfig.load(file);
    }
}
