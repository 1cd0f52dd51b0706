package io.driftguard.scan.cli;

import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.model.ImageRef;
import io.driftguard.core.store.Database;
import io.driftguard.core.text.Terminal;
import io.driftguard.scan.config.ScanConfig;
import io.driftguard.scan.image.ImageFinding;
import io.driftguard.scan.image.ImageReport;
import io.driftguard.scan.run.Finding;
import io.driftguard.scan.run.ImageFindings;
import io.driftguard.scan.run.LocalImage;
import io.driftguard.scan.run.OneImage;
import io.driftguard.scan.store.AdvisoryStore;
import io.driftguard.scan.store.ImageScanStore;
import io.driftguard.scan.store.ScannerStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code image REF}: scan one image, print its findings as a table, worst first (or --json), exit by
 * [scan] fail_on. REF is a local Docker image when it says so ({@code docker:NAME}) or when its
 * first part names no registry host (Docker's own rule: a host has a '.' or a ':' or is
 * localhost), else a registry reference.
 */
@Command(name = "image", mixinStandardHelpOptions = true, resourceBundle = "io.driftguard.scan.cli.ImageCommand",
        description = "Scan one image for vulnerable packages, misconfigurations and secrets: a registry image "
                + "(host[:port]/repository[:tag][@digest]) or a local Docker image (docker:NAME, or a NAME with no registry host).")
final class ImageCommand extends ConfiguredCommand {
    static final String DOCKER = "docker:";

    @Parameters(paramLabel = "REF", description = "host[:port]/repository[:tag][@digest], or docker:NAME / NAME[:TAG] / an image id for a local Docker image")
    String reference;

    @Option(names = "--docker-host", paramLabel = "unix:///PATH",
            description = "the Docker engine of local images (default: $DOCKER_HOST, else unix:///var/run/docker.sock)")
    String dockerHost;

    @Option(names = "--platform", defaultValue = "linux/amd64", description = "platform to scan when REF is an index (default: ${DEFAULT-VALUE})")
    String platform;

    @Mixin
    TableOutput output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        ScanConfig scan = config.read();
        String local = localName(reference);
        ImageRef ref = null;
        if (local == null) {
            try {
                ref = ImageRef.parse(reference);
            } catch (IllegalArgumentException e) {
                err.println("driftguard-scan image: " + e.getMessage());
                return ExitCodes.CANNOT_RUN;
            }
        }
        try (Database database = ConfigOption.open(scan)) {
            ImageReport report;
            List<Finding> findings;
            try {
                if (local != null) {
                    report = new LocalImage(scan, new ImageScanStore(database), new AdvisoryStore(database), Clock.systemUTC())
                            .scan(dockerHost, local);
                    int colon = local.lastIndexOf(':');
                    boolean tagged = !local.contains("@") && colon > local.lastIndexOf('/') && !local.startsWith("sha256:");
                    findings = ImageFindings.of(LocalImage.REGISTRY, tagged ? local.substring(0, colon) : local,
                            tagged ? local.substring(colon + 1) : null, report);
                } else {
                    report = new OneImage(scan, new ScannerStore(database), new ImageScanStore(database), new AdvisoryStore(database),
                            Clock.systemUTC(), err::println).scan(ref, platform);
                    findings = ImageFindings.of(ref, report);
                }
            } catch (OneImage.Unscannable e) {
                err.println("driftguard-scan image: " + e.getMessage());
                return ExitCodes.CANNOT_RUN;
            }
            EventDispatcher events = new EventDispatcher(EventSinks.open(database, scan.hostId(), output.json), 10_000);
            try {
                for (Finding f : findings) {
                    events.publish(f.toEvent());
                }
            } finally {
                events.close();
            }
            int code = report.findings().stream().map(ImageFinding::severity).anyMatch(scan.images()::fails)
                    ? ExitCodes.FINDINGS : ExitCodes.OK;
            out.print(output.json ? ImageJson.of(report, code) + "\n" : ImageTable.of(report, scan.images(), Terminal.width(output.wide), Terminal.colour()));
            return code;
        }
    }

    /** The local image REF names, or null for a registry reference. */
    static String localName(String reference) {
        if (reference.startsWith(DOCKER)) {
            return reference.substring(DOCKER.length());
        }
        int slash = reference.indexOf('/');
        String first = slash < 0 ? null : reference.substring(0, slash);
        boolean host = first != null && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        return host ? null : reference;
    }
}
