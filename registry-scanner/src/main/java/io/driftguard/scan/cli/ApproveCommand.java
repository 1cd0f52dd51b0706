package io.driftguard.scan.cli;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import io.driftguard.core.model.ImageRef;
import io.driftguard.core.store.EventStore;
import io.driftguard.scan.store.ScannerStore;
import io.driftguard.scan.store.TagKey;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code approve REF}: the tag's current digest, or the one given with @, becomes its approved digest. */
@Command(name = "approve", mixinStandardHelpOptions = true, description = "Approve a tag's current digest, or REF@sha256:... to approve that digest.")
final class ApproveCommand extends ConfiguredCommand {

    @Parameters(paramLabel = "REF", description = "host[:port]/repository:tag[@sha256:...]", converter = TagRefConverter.class)
    ImageRef ref;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        return withStore((scan, database) -> {
            ScannerStore store = new ScannerStore(database);
            TagKey key = TagKey.of(ref);
            Optional<Digest> digest = ref.digestValue().or(() -> current(store, key));
            if (digest.isEmpty()) {
                err.println("driftguard-scan approve: no digest seen yet for " + key + "; run a scan first or give " + key + "@sha256:...");
                return ExitCodes.CANNOT_RUN;
            }
            boolean seen = store.history(key).stream().anyMatch(r -> r.digest().equals(digest.get()));
            store.approve(key, digest.get(), Instant.now());
            new EventStore(database, scan.hostId()).accept(Event.builder(EventKind.REGISTRY, EventAction.INFO, Severity.INFO)
                    .container(null, null, key.toString(), digest.get().toString())
                    .detail("finding", "approval").detail("registry", key.registry()).detail("repository", key.repository())
                    .detail("tag", key.tag()).detail("digest", digest.get().toString())
                    .message("Tag " + key + " approved at " + digest.get()).build());
            out.println("approved " + key + " at " + digest.get() + (seen ? "" : " (not seen in a scan yet)"));
            return ExitCodes.OK;
        });
    }

    private static Optional<Digest> current(ScannerStore store, TagKey key) {
        try {
            return store.state(key).current();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("reading " + key + " from the store failed: " + e.getMessage(), e);
        }
    }
}
