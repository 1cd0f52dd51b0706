package io.driftguard.daemon.cli;

import io.driftguard.core.cli.GroupCommand;
import io.driftguard.core.cli.JsonAnswer;
import io.driftguard.core.store.Database;
import io.driftguard.daemon.fleet.StoreMigration;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code driftguard store migrate --from PATH}: a host's SQLite store into the shared one. */
@Command(name = "store", mixinStandardHelpOptions = true, description = "Work with the store.",
        subcommands = StoreCommand.Migrate.class)
final class StoreCommand extends GroupCommand {
    StoreCommand() {
        super("migrate");
    }

    @Command(name = "migrate", mixinStandardHelpOptions = true,
            description = {"Copy an existing SQLite store (events, image baselines, process profiles, the scanner's approvals)"
                    + " into the shared store of [store] url. Events without a host id become this host's ([daemon] host_id)."
                    + " Safe to run again: nothing is copied twice, and what the shared store has already is kept.",
                    "Exit code 0: copied; 2: no shared store configured or no store at PATH."})
    static final class Migrate extends ConfiguredCommand {
        @Option(names = "--from", required = true, paramLabel = "PATH", description = "The SQLite store to copy (e.g. /var/lib/driftguard/driftguard.db).")
        Path from;

        @Option(names = "--json", description = "{\"from\", \"to\", \"events\", \"baselines\", \"profiles\", \"approvals\"} (approvals -1:"
                + " the scanner's tables are missing on one side).")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return withSharedStore("store migrate", (settings, central) -> {
                if (!Files.isRegularFile(from)) {
                    err().println("no SQLite store at " + from);
                    return 2;
                }
                try (Database source = Database.open(from)) {
                    StoreMigration.Copied copied = new StoreMigration(source, central.database(), settings.hostId()).run();
                    if (json) {
                        out().println(JsonAnswer.object().put("from", from.toString()).put("to", settings.store().toString())
                                .put("events", copied.events()).put("baselines", copied.baselines()).put("profiles", copied.profiles())
                                .put("approvals", copied.approvals()));
                        return 0;
                    }
                    out().println("copied from " + from + " to " + settings.store() + ": " + copied.events() + " events, "
                            + copied.baselines() + " image baselines, " + copied.profiles() + " process profiles merged, "
                            + (copied.approvals() < 0 ? "no approvals (the scanner's tables are missing on one side; run"
                            + " driftguard-scan once against the shared store, then migrate again)" : copied.approvals() + " approvals"));
                }
                return 0;
            });
        }
    }
}
