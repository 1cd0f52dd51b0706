package io.driftguard.scan.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.event.EventJson;
import io.driftguard.scan.run.Finding;
import io.driftguard.scan.run.RunSummary;
import java.util.List;

/** The {@code run --json} report: every finding as its event, and the summary. */
final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonReport() {
    }

    static String of(List<Finding> findings, RunSummary summary) throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode s = root.putObject("summary");
        s.put("exit_code", summary.exitCode());
        s.put("tags", summary.tags());
        s.put("drift", summary.drift());
        s.put("tamper", summary.tamper());
        s.put("errors", summary.errors());
        s.put("failing_image_findings", summary.failingImageFindings());
        s.set("warnings", JSON.valueToTree(summary.warnings()));
        s.put("seconds", summary.took().toMillis() / 1000.0);
        ArrayNode registries = s.putArray("registries");
        for (RunSummary.RegistryCounts r : summary.registries()) {
            ObjectNode o = registries.addObject();
            o.put("registry", r.registry());
            o.put("reached", r.reached());
            o.put("repositories", r.repositories());
            o.put("tags", r.tags());
            o.put("skipped_tags", r.skippedTags());
            o.put("blobs_hashed", r.blobsHashed());
            o.put("bytes_hashed", r.bytesHashed());
            o.put("blobs_verified_before", r.blobsVerifiedBefore());
        }
        ArrayNode list = root.putArray("findings");
        for (Finding finding : findings) {
            list.add(EventJson.toTree(finding.toEvent(), null));
        }
        return JSON.writeValueAsString(root);
    }
}
