package io.driftguard.scan.cli;

import io.driftguard.core.store.Database;
import io.driftguard.core.toml.ConfigException;
import io.driftguard.scan.config.ScanConfig;
import io.driftguard.scan.config.ScanConfigReader;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import picocli.CommandLine.Option;

/** The {@code --config} option every command has, and opening what the config names. */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE", defaultValue = "/etc/driftguard/driftguard.toml",
            description = "the driftguard config file (default: ${DEFAULT-VALUE})")
    Path file;

    ScanConfig read() throws ConfigException {
        return ScanConfigReader.read(file);
    }

    static Database open(ScanConfig config) throws IOException, SQLException {
        return Database.open(config.store());
    }
}
