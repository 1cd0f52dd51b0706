package io.driftguard.scan.cli;

import io.driftguard.core.cli.PrintingCommand;
import io.driftguard.core.store.Database;
import io.driftguard.scan.config.ScanConfig;
import picocli.CommandLine.Mixin;

/** What every command that reads the config shares: the {@code --config} option, its output streams and the store. */
abstract class ConfiguredCommand extends PrintingCommand {
    @Mixin
    ConfigOption config;

    /** Reads the config, opens the store it names and runs {@code work} on both; the store is closed afterwards. */
    Integer withStore(StoreWork work) throws Exception {
        ScanConfig scan = config.read();
        try (Database database = ConfigOption.open(scan)) {
            return work.run(scan, database);
        }
    }

    @FunctionalInterface
    interface StoreWork {
        Integer run(ScanConfig scan, Database database) throws Exception;
    }
}
