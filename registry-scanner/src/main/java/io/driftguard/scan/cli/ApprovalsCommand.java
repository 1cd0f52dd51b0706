package io.driftguard.scan.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.model.Digest;
import io.driftguard.core.text.Printable;
import io.driftguard.core.text.Terminal;
import io.driftguard.core.text.TextTable;
import io.driftguard.scan.store.Approval;
import io.driftguard.scan.store.ScannerStore;
import io.driftguard.scan.store.TagStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code approvals}: every tag's last approval, who made it, when, and until when it counts
 * (expired ones included, marked), from the store: with a shared PostgreSQL store, the fleet's.
 */
@Command(name = "approvals", mixinStandardHelpOptions = true,
        description = "List each tag's approval: digest, who approved it, when, and until when it counts (expired ones marked).")
final class ApprovalsCommand extends ConfiguredCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    TableOutput output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        return withStore((scan, database) -> {
            List<TagStatus> approved = new ScannerStore(database).tags().stream().filter(t -> t.approval().isPresent()).toList();
            if (output.json) {
                out.println(json(approved));
                return ExitCodes.OK;
            }
            if (approved.isEmpty()) {
                out.println("no tag is approved (store " + scan.store() + "); approve with: driftguard-scan approve REF");
                return ExitCodes.OK;
            }
            TextTable table = TextTable.of("TAG", "DIGEST", "BY", "APPROVED", "EXPIRES", "CURRENT");
            for (TagStatus t : approved) {
                Approval a = t.approval().orElseThrow();
                table.row(t.key().toString(), a.digest().shortForm(), a.by().map(Printable::of).orElse("-"), Times.local(a.at()),
                        a.expires().map(e -> (t.approvalExpired() ? "expired " : "") + Times.local(e)).orElse("never"),
                        t.current().map(c -> c.equals(a.digest()) ? "yes" : c.shortForm()).orElse("-"));
            }
            out.print(table.render(Terminal.width(output.wide)));
            return ExitCodes.OK;
        });
    }

    private static String json(List<TagStatus> approved) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("approvals");
        for (TagStatus t : approved) {
            Approval a = t.approval().orElseThrow();
            ObjectNode o = list.addObject();
            o.put("tag", t.key().toString());
            o.put("registry", t.key().registry());
            o.put("repository", t.key().repository());
            o.put("tag_name", t.key().tag());
            ApprovalJson.put(o, t);
            o.put("current_digest", t.current().map(Digest::toString).orElse(null));
        }
        return JSON.writeValueAsString(root);
    }

    /** The approval's fields in JSON, as {@code approvals} and {@code status} print them. */
    static final class ApprovalJson {
        private ApprovalJson() {
        }

        static void put(ObjectNode o, TagStatus t) {
            o.put("approved_digest", t.approved().map(Digest::toString).orElse(null));
            Approval a = t.approval().orElse(null);
            o.put("approval_digest", a == null ? null : a.digest().toString());
            o.put("approved_by", a == null ? null : a.by().orElse(null));
            o.put("approved_at", a == null ? null : a.at().toString());
            o.put("approval_expires", a == null ? null : a.expires().map(Instant::toString).orElse(null));
            o.put("approval_expired", t.approvalExpired());
        }
    }
}
