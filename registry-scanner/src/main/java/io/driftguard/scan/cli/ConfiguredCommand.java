package io.driftguard.scan.cli;

import io.driftguard.core.store.Database;
import io.driftguard.scan.config.ScanConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command that reads the config shares: the {@code --config} option, its output streams and the store. */
abstract class ConfiguredCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

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
