package io.driftguard.scan.cli;

import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.model.ImageRef;
import io.driftguard.core.store.Database;
import io.driftguard.scan.config.ScanConfig;
import io.driftguard.scan.image.ImageFinding;
import io.driftguard.scan.image.ImageReport;
import io.driftguard.scan.run.Finding;
import io.driftguard.scan.run.ImageFindings;
import io.driftguard.scan.run.OneImage;
import io.driftguard.scan.store.AdvisoryStore;
import io.driftguard.scan.store.ImageScanStore;
import io.driftguard.scan.store.ScannerStore;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code image REF}: scan one image, print its findings grouped by severity (or --json), exit by [scan] fail_on. */
@Command(name = "image", mixinStandardHelpOptions = true,
        description = "Scan one image for vulnerable packages, misconfigurations and secrets.")
final class ImageCommand extends ConfiguredCommand {

    @Parameters(paramLabel = "REF", description = "host[:port]/repository[:tag][@digest]")
    String reference;

    @Option(names = "--platform", defaultValue = "linux/amd64", description = "platform to scan when REF is an index (default: ${DEFAULT-VALUE})")
    String platform;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        ScanConfig scan = config.read();
        ImageRef ref;
        try {
            ref = ImageRef.parse(reference);
        } catch (IllegalArgumentException e) {
            err.println("driftguard-scan image: " + e.getMessage());
            return ExitCodes.CANNOT_RUN;
        }
        try (Database database = ConfigOption.open(scan)) {
            ImageReport report;
            try {
                report = new OneImage(scan, new ScannerStore(database), new ImageScanStore(database), new AdvisoryStore(database),
                        Clock.systemUTC(), err::println).scan(ref, platform);
            } catch (OneImage.Unscannable e) {
                err.println("driftguard-scan image: " + e.getMessage());
                return ExitCodes.CANNOT_RUN;
            }
            EventDispatcher events = new EventDispatcher(EventSinks.open(database, scan.hostId(), json), 10_000);
            try {
                for (Finding f : ImageFindings.of(ref, report)) {
                    events.publish(f.toEvent());
                }
            } finally {
                events.close();
            }
            int code = report.findings().stream().map(ImageFinding::severity).anyMatch(scan.images()::fails)
                    ? ExitCodes.FINDINGS : ExitCodes.OK;
            out.print(json ? ImageJson.of(report, code) + "\n" : ImageTable.of(report, scan.images()));
            return code;
        }
    }
}
