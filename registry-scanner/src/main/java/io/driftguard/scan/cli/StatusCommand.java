package io.driftguard.scan.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.model.Digest;
import io.driftguard.core.text.Terminal;
import io.driftguard.core.text.TextTable;
import io.driftguard.scan.store.RunRecord;
import io.driftguard.scan.store.ScannerStore;
import io.driftguard.scan.store.TagStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code status}: the last run, and every tag with an open finding: drift (until approved again)
 * or tamper (until its content verifies intact). Exits 1 while any is open, so that a check
 * that runs it sees drift that a later run no longer reports as new.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the last run and the tags with open drift (until approved) or tamper (until intact again); exit 1 while any is open.")
final class StatusCommand extends ConfiguredCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    TableOutput output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        return withStore((scan, database) -> {
            ScannerStore store = new ScannerStore(database);
            Optional<RunRecord> last = store.lastRun();
            List<TagStatus> tags = store.tags();
            List<TagStatus> open = tags.stream().filter(t -> t.drifted() || t.tampered()).toList();
            int code = open.isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
            if (output.json) {
                out.println(json(last, tags, open, code));
                return code;
            }
            if (last.isEmpty()) {
                out.println("no scan has run yet (store " + scan.store() + ")");
            } else {
                RunRecord run = last.get();
                out.println("last run: started " + Times.local(run.started()) + ", "
                        + run.finished().map(f -> "finished " + Times.local(f)).orElse("did not finish")
                        + "; " + run.tags() + " tags, " + run.drift() + " drift, " + run.tamper() + " tamper, "
                        + run.errors() + " errors");
            }
            long unapproved = tags.stream().filter(t -> t.approved().isEmpty()).count();
            long expired = tags.stream().filter(TagStatus::approvalExpired).count();
            out.println(tags.size() + " tags known, " + unapproved + " without an approved digest"
                    + (expired > 0 ? " (" + expired + " approvals expired)" : "") + ", "
                    + tags.stream().filter(TagStatus::drifted).count() + " with open drift, "
                    + tags.stream().filter(TagStatus::tampered).count() + " with open tamper");
            if (!open.isEmpty()) {
                TextTable table = TextTable.of("TAG", "STATE", "APPROVED", "CURRENT", "SINCE", "DETAIL");
                for (TagStatus t : open) {
                    table.row(t.key().toString(), state(t), t.approved().map(Digest::shortForm).orElse(null),
                            t.current().map(Digest::shortForm).orElse(null), Times.local(since(t)), detail(t));
                }
                out.print(table.render(Terminal.width(output.wide)));
                out.println("approve what is expected with: driftguard-scan approve REF (several REFs or a quoted glob)");
            }
            return code;
        });
    }

    private static String state(TagStatus t) {
        return t.drifted() && t.tampered() ? "drift+tamper" : t.drifted() ? "drift" : "tamper";
    }

    private static Instant since(TagStatus t) {
        return t.drift().map(TagStatus.Open::since).or(() -> t.tamper().map(TagStatus.Open::since)).orElse(t.lastSeen());
    }

    private static String detail(TagStatus t) {
        String drift = t.drift().map(d -> "moved from " + d.what().shortForm()).orElse(t.drifted() ? "not at the approved digest" : "");
        return t.tamper().map(x -> (drift.isEmpty() ? "" : drift + "; ") + x.what()).orElse(drift);
    }

    private static String json(Optional<RunRecord> last, List<TagStatus> tags, List<TagStatus> open, int code) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("exit_code", code);
        if (last.isPresent()) {
            RunRecord run = last.get();
            ObjectNode r = root.putObject("last_run");
            r.put("started", run.started().toString());
            r.put("finished", run.finished().map(Instant::toString).orElse(null));
            r.put("tags", run.tags());
            r.put("drift", run.drift());
            r.put("tamper", run.tamper());
            r.put("errors", run.errors());
        } else {
            root.putNull("last_run");
        }
        root.put("tags_known", tags.size());
        root.put("tags_unapproved", tags.stream().filter(t -> t.approved().isEmpty()).count());
        root.put("approvals_expired", tags.stream().filter(TagStatus::approvalExpired).count());
        ArrayNode list = root.putArray("open");
        for (TagStatus t : open) {
            ObjectNode o = list.addObject();
            o.put("tag", t.key().toString());
            o.put("registry", t.key().registry());
            o.put("repository", t.key().repository());
            o.put("tag_name", t.key().tag());
            o.put("state", state(t));
            ApprovalsCommand.ApprovalJson.put(o, t);
            o.put("current_digest", t.current().map(Digest::toString).orElse(null));
            o.put("drift_from", t.drift().map(d -> d.what().toString()).orElse(null));
            o.put("drift_since", t.drift().map(d -> d.since().toString()).orElse(null));
            o.put("tamper", t.tamper().map(TagStatus.Open::what).orElse(null));
            o.put("tamper_since", t.tamper().map(d -> d.since().toString()).orElse(null));
            o.put("last_seen", t.lastSeen().toString());
        }
        return JSON.writeValueAsString(root);
    }
}
