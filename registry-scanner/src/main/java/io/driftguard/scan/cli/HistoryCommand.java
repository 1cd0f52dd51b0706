package io.driftguard.scan.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.model.ImageRef;
import io.driftguard.core.text.Terminal;
import io.driftguard.core.text.TextTable;
import io.driftguard.scan.store.DigestRecord;
import io.driftguard.scan.store.ScannerStore;
import io.driftguard.scan.store.TagKey;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code history REF}: every digest the tag has pointed to, oldest first. */
@Command(name = "history", mixinStandardHelpOptions = true, description = "Show every digest a tag has pointed to, with first and last seen time.")
final class HistoryCommand extends ConfiguredCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(paramLabel = "REF", description = "host[:port]/repository:tag", converter = TagRefConverter.class)
    ImageRef ref;

    @Mixin
    TableOutput output;

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
            if (output.json) {
                ObjectNode root = JSON.createObjectNode();
                root.put("tag", key.toString());
                ArrayNode digests = root.putArray("digests");
                for (DigestRecord r : records) {
                    ObjectNode o = digests.addObject();
                    o.put("digest", r.digest().toString());
                    o.put("media_type", r.mediaType());
                    o.put("first_seen", r.firstSeen().toString());
                    o.put("last_seen", r.lastSeen().toString());
                    o.put("approved", r.approved());
                    o.put("current", r.current());
                }
                out.println(JSON.writeValueAsString(root));
                return ExitCodes.OK;
            }
            out.println(key);
            TextTable table = TextTable.of("DIGEST", "FIRST SEEN", "LAST SEEN", "");
            for (DigestRecord r : records) {
                String marks = (r.approved() ? "approved " : "") + (r.current() ? "current" : "");
                table.row(r.digest().toString(), Times.local(r.firstSeen()), Times.local(r.lastSeen()), marks.trim());
            }
            out.print(table.render(Terminal.width(output.wide)));
            return ExitCodes.OK;
        });
    }
}
