package io.driftguard.scan.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.scan.image.ImageFinding;
import io.driftguard.scan.image.ImageReport;
import io.driftguard.scan.packages.InstalledPackage;

/** The {@code image --json} report: image, OS, packages, findings, ignored findings, warnings, exit code. */
final class ImageJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageJson() {
    }

    static String of(ImageReport report, int exitCode) throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        root.put("image", report.reference());
        root.put("digest", report.digest().toString());
        ObjectNode os = root.putObject("os");
        os.put("id", report.sbom().os().id());
        os.put("version_id", report.sbom().os().versionId());
        os.put("pretty_name", report.sbom().os().prettyName());
        root.set("layers", JSON.valueToTree(report.sbom().layers()));
        ArrayNode packages = root.putArray("packages");
        for (InstalledPackage p : report.sbom().packages()) {
            ObjectNode o = packages.addObject();
            o.put("format", p.format().name().toLowerCase(java.util.Locale.ROOT));
            o.put("name", p.name());
            o.put("version", p.version());
            o.put("source", p.source());
            o.put("source_version", p.sourceVersion());
            o.put("architecture", p.architecture());
        }
        ArrayNode findings = root.putArray("findings");
        report.findings().forEach(f -> findings.add(finding(f)));
        ArrayNode ignored = root.putArray("ignored");
        for (ImageReport.IgnoredFinding i : report.ignored()) {
            ObjectNode o = finding(i.finding());
            o.put("ignore_reason", i.reason());
            o.put("ignore_expires", i.expires());
            ignored.add(o);
        }
        root.set("warnings", JSON.valueToTree(report.warnings()));
        root.put("exit_code", exitCode);
        return JSON.writeValueAsString(root);
    }

    static ObjectNode finding(ImageFinding f) {
        ObjectNode o = JSON.createObjectNode();
        o.put("category", f.category().wire());
        o.put("severity", f.severity().wire());
        o.put("id", f.id());
        o.put("title", f.title());
        o.set("details", JSON.valueToTree(new java.util.TreeMap<>(f.details())));
        return o;
    }
}
