package io.driftguard.daemon.cli;

import io.driftguard.core.cli.PrintingCommand;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.StoreSettings;
import io.driftguard.daemon.app.DaemonConfig;
import java.io.IOException;
import java.sql.SQLException;
import picocli.CommandLine.Mixin;

/** What the commands that work on the configured store share: the {@code --config} option, their streams, the config and the store. */
abstract class ConfiguredCommand extends PrintingCommand {
    @Mixin
    ConfigOption config;

    /** Reads the config and runs {@code work} on it and its store; the store is closed afterwards. */
    Integer withStore(StoreWork work) throws Exception {
        return run(config.load(), work);
    }

    /**
     * The same for a command on the shared store ([store] url): exit code 2, with the reason on
     * stderr, when the config names none; {@code command} is the command's name in that reason.
     */
    Integer withSharedStore(String command, StoreWork work) throws Exception {
        DaemonConfig settings = config.loadShared(command);
        return settings == null ? 2 : run(settings, work);
    }

    private static Integer run(DaemonConfig settings, StoreWork work) throws Exception {
        try (Store store = new Store(settings.store())) {
            return work.run(settings, store);
        }
    }

    @FunctionalInterface
    interface StoreWork {
        Integer run(DaemonConfig settings, Store store) throws Exception;
    }

    /**
     * The configured store, opened when the work first asks for it: a command checks its own
     * arguments first, and reports them rather than an unreachable store.
     */
    static final class Store implements AutoCloseable {
        private final StoreSettings settings;
        private Database database;

        private Store(StoreSettings settings) {
            this.settings = settings;
        }

        Database database() throws IOException, SQLException {
            if (database == null) {
                database = Database.open(settings);
            }
            return database;
        }

        @Override
        public void close() {
            if (database != null) {
                database.close();
            }
        }
    }
}
