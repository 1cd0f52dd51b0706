package io.driftguard.scan.cli;

import io.driftguard.core.model.ImageRef;
import io.driftguard.scan.store.DigestRecord;
import io.driftguard.scan.store.ScannerStore;
import io.driftguard.scan.store.TagKey;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code history REF}: every digest the tag has pointed to, oldest first. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Show every digest a tag has pointed to, with first and last seen time.")
final class HistoryCommand extends ConfiguredCommand {

    @Parameters(paramLabel = "REF", description = "host[:port]/repository:tag", converter = TagRefConverter.class)
    ImageRef ref;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        return withStore((scan, database) -> {
            TagKey key = TagKey.of(ref);
            List<DigestRecord> records = new ScannerStore(database).history(key);
            if (records.isEmpty()) {
                err.println("driftguard-scan history: " + key + " has not been scanned");
                return ExitCodes.CANNOT_RUN;
            }
            out.println(key);
            out.printf("  %-71s  %-24s  %-24s  %s%n", "DIGEST", "FIRST SEEN", "LAST SEEN", "");
            for (DigestRecord r : records) {
                String marks = (r.approved() ? "approved " : "") + (r.current() ? "current" : "");
                out.printf("  %-71s  %-24s  %-24s  %s%n", r.digest(), r.firstSeen(), r.lastSeen(), marks.trim());
            }
            return ExitCodes.OK;
        });
    }
}
