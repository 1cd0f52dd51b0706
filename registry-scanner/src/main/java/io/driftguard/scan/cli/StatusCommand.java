package io.driftguard.scan.cli;

import io.driftguard.scan.store.RunRecord;
import io.driftguard.scan.store.ScannerStore;
import io.driftguard.scan.store.TagStatus;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

/** {@code status}: the last run, and every tag that is not at its approved digest. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the last run and the tags not at their approved digest.")
final class StatusCommand extends ConfiguredCommand {

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        return withStore((scan, database) -> {
            ScannerStore store = new ScannerStore(database);
            Optional<RunRecord> last = store.lastRun();
            if (last.isEmpty()) {
                out.println("no scan has run yet (store " + scan.store() + ")");
            } else {
                RunRecord run = last.get();
                out.println("last run: started " + run.started() + ", "
                        + run.finished().map(f -> "finished " + f).orElse("did not finish")
                        + "; " + run.tags() + " tags, " + run.drift() + " drift, " + run.tamper() + " tamper, "
                        + run.errors() + " errors");
            }
            List<TagStatus> tags = store.tags();
            long unapproved = tags.stream().filter(t -> t.approved().isEmpty()).count();
            List<TagStatus> drifted = tags.stream().filter(TagStatus::drifted).toList();
            out.println(tags.size() + " tags known, " + unapproved + " without an approved digest, "
                    + drifted.size() + " not at their approved digest");
            for (TagStatus t : drifted) {
                out.println("  " + t.key() + ": approved " + t.approved().get() + ", now " + t.current().get());
            }
            return ExitCodes.OK;
        });
    }
}
