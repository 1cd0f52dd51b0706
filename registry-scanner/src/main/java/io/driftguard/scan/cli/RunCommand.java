package io.driftguard.scan.cli;

import io.driftguard.core.cli.JsonAnswer;
import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.log.Log;
import io.driftguard.core.store.Database;
import io.driftguard.scan.config.ScanConfig;
import io.driftguard.scan.run.Findings;
import io.driftguard.scan.run.RunSummary;
import io.driftguard.scan.run.ImageStores;
import io.driftguard.scan.run.ScanRun;
import io.driftguard.scan.store.AdvisoryStore;
import io.driftguard.scan.store.ImageScanStore;
import io.driftguard.scan.store.ScannerStore;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run}: scan every configured registry, report findings as events, print a summary. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Scan the configured registries (the timer's job).")
final class RunCommand extends ConfiguredCommand {
    private static final Log LOG = Log.of(RunCommand.class);


    @Option(names = "--once", description = "scan once and exit (else scan every [scan] interval)")
    boolean once;

    @Option(names = "--deep", description = "re-hash every manifest and blob, also those verified before")
    boolean deep;

    @Option(names = "--json", description = "print a JSON report of every finding and the summary on stdout")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        ScanConfig scan = config.read();
        if (scan.registries().isEmpty()) {
            // A fresh install has no registry yet; its hourly timer must not fail for that.
            String nothing = config.file + ": no [[registry]] tables; nothing to scan";
            if (json) {
                out.println(JsonAnswer.result(nothing));
            } else {
                err.println(nothing);
            }
            return ExitCodes.OK;
        }
        try (Database database = ConfigOption.open(scan)) {
            ScannerStore store = new ScannerStore(database);
            ImageStores images = new ImageStores(new ImageScanStore(database), new AdvisoryStore(database));
            while (true) {
                int code = runOnce(scan, store, images, database, out, err);
                if (once) {
                    return code;
                }
                Thread.sleep(scan.interval().toMillis());
            }
        } catch (java.io.IOException | java.sql.SQLException e) {
            err.println("driftguard-scan: cannot open the store " + scan.store() + ": " + e.getMessage());
            return ExitCodes.CANNOT_RUN;
        }
    }

    private int runOnce(ScanConfig scan, ScannerStore store, ImageStores images, Database database, PrintWriter out,
                        PrintWriter err)
            throws Exception {
        EventDispatcher events = new EventDispatcher(EventSinks.open(database, scan.hostId(), json), 10_000);
        Findings findings = new Findings(events, scan.images());
        RunSummary summary;
        try {
            summary = new ScanRun(scan, store, images, Clock.systemUTC(), err::println).run(findings, deep);
        } finally {
            events.close();
        }
        if (events.dropped() > 0 || events.failed() > 0) {
            LOG.warn(events.dropped() + " finding events dropped, " + events.failed() + " sink failures");
        }
        if (json) {
            out.println(JsonReport.of(findings.list(), summary));
        } else {
            err.println(TextReport.of(findings.list(), summary));
        }
        return summary.exitCode();
    }
}
