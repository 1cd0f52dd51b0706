package io.driftguard.scan.cli;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import io.driftguard.core.model.ImageRef;
import io.driftguard.core.store.EventStore;
import io.driftguard.core.text.Printable;
import io.driftguard.scan.store.Approval;
import io.driftguard.scan.store.ScannerStore;
import io.driftguard.scan.store.TagKey;
import io.driftguard.scan.store.TagStatus;
import java.io.PrintWriter;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code approve REF...}: each tag's current digest, or the one given with @, becomes its
 * approved digest. A REF with {@code *} or {@code ?} is a glob over the tags the store knows. Only
 * digests a scan has seen under the tag are approved, unless {@code --force}; nothing is approved
 * when any REF is refused. Each approval records who made it ({@code --by}, else the user who ran
 * sudo, else the user running it) and, with {@code --expires}, until when it counts.
 */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = "Approve tags' current digests, or REF@sha256:... to approve that digest. A REF with * or ? (quote it) "
                + "matches the tags the store knows; * stops at '/', ** does not.")
final class ApproveCommand extends ConfiguredCommand {
    private static final int MAX_NAME = 200;

    @Parameters(paramLabel = "REF", arity = "1..*", description = "host[:port]/repository:tag[@sha256:...], or a glob such as '127.0.0.1:5000/team/*'")
    List<String> refs;

    @Option(names = "--force", description = "approve a digest no scan has seen under the tag")
    boolean force;

    @Option(names = "--by", paramLabel = "NAME", description = "who approves, as listings show it (default: $SUDO_USER, else the user running this)")
    String by;

    @Option(names = "--expires", paramLabel = "WHEN", converter = ExpiryConverter.class,
            description = "the approval stops counting then: a duration from now (12h, 30d) or an ISO time or date (2027-01-31, its local midnight)")
    Instant expires;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        PrintWriter err = err();
        String who = by == null ? invokingUser() : by.strip();
        if (who.isEmpty() || who.length() > MAX_NAME) {
            err.println("driftguard-scan approve: --by: give a name of 1 to " + MAX_NAME + " characters");
            return ExitCodes.CANNOT_RUN;
        }
        return withStore((scan, database) -> {
            ScannerStore store = new ScannerStore(database);
            Map<TagKey, Digest> approvals = new LinkedHashMap<>();
            List<String> refused = new ArrayList<>();
            List<TagKey> unseen = new ArrayList<>();
            for (String ref : refs) {
                resolve(store, ref, approvals, refused, unseen);
            }
            if (!refused.isEmpty()) {
                refused.forEach(r -> err.println("driftguard-scan approve: " + r));
                err.println("driftguard-scan approve: nothing approved");
                return ExitCodes.CANNOT_RUN;
            }
            EventStore events = new EventStore(database, scan.hostId());
            for (Map.Entry<TagKey, Digest> a : approvals.entrySet()) {
                TagKey key = a.getKey();
                Digest digest = a.getValue();
                store.approve(key, new Approval(digest, Instant.now(), Optional.of(who), Optional.ofNullable(expires)));
                String until = expires == null ? "" : " until " + expires;
                events.accept(Event.builder(EventKind.REGISTRY, EventAction.INFO, Severity.INFO)
                        .container(null, null, key.toString(), digest.toString())
                        .detail("finding", "approval").detail("registry", key.registry()).detail("repository", key.repository())
                        .detail("tag", key.tag()).detail("digest", digest.toString())
                        .detail("approved_by", who).detail("expires", expires == null ? null : expires.toString())
                        .detail("forced", unseen.contains(key) ? "true" : null)
                        .message("Tag " + key + " approved at " + digest + " by " + Printable.of(who) + until
                                + (unseen.contains(key) ? " (forced: not seen in a scan)" : ""))
                        .build());
                out.println("approved " + key + " at " + digest + " by " + Printable.of(who) + until
                        + (unseen.contains(key) ? " (forced: not seen in a scan yet)" : ""));
            }
            return ExitCodes.OK;
        });
    }

    /** The user behind the command: the one who ran sudo, else the account it runs as. */
    static String invokingUser() {
        String sudo = System.getenv("SUDO_USER");
        // user.name is the name of the process's uid (getpwuid), set by the JVM at start.
        return sudo != null && !sudo.isBlank() ? sudo : System.getProperty("user.name");
    }

    private void resolve(ScannerStore store, String ref, Map<TagKey, Digest> approvals, List<String> refused,
                         List<TagKey> unseen) throws SQLException {
        if (ref.contains("*") || ref.contains("?")) {
            glob(store, ref, approvals, refused);
            return;
        }
        ImageRef parsed;
        try {
            parsed = new TagRefConverter().convert(ref);
        } catch (RuntimeException e) {
            refused.add(e.getMessage());
            return;
        }
        TagKey key = TagKey.of(parsed);
        Optional<Digest> digest = parsed.digestValue().or(() -> current(store, key));
        if (digest.isEmpty()) {
            refused.add("no digest seen yet for " + key + "; run a scan first or give " + key + "@sha256:... --force");
            return;
        }
        boolean seen = store.history(key).stream().anyMatch(r -> r.digest().equals(digest.get()));
        if (!seen && !force) {
            refused.add(key + " has never pointed to " + digest.get() + " in a scan; scan it first, or pass --force to approve it anyway");
            return;
        }
        if (!seen) {
            unseen.add(key);
        }
        approvals.put(key, digest.get());
    }

    /** Every known tag the glob matches, at its current digest. */
    private static void glob(ScannerStore store, String pattern, Map<TagKey, Digest> approvals, List<String> refused)
            throws SQLException {
        if (pattern.contains("@")) {
            refused.add("a glob cannot name a digest (" + Printable.of(pattern) + "); each tag is approved at its current digest");
            return;
        }
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (IllegalArgumentException e) {
            refused.add("not a usable glob: " + Printable.of(pattern) + " (" + e.getMessage() + ")");
            return;
        }
        int matched = 0;
        for (TagStatus t : store.tags()) {
            if (t.current().isPresent() && matcher.matches(Path.of(t.key().toString()))) {
                approvals.put(t.key(), t.current().get());
                matched++;
            }
        }
        if (matched == 0) {
            refused.add(Printable.of(pattern) + " matches no tag a scan has seen (driftguard-scan status lists them)");
        }
    }

    private static Optional<Digest> current(ScannerStore store, TagKey key) {
        try {
            return store.state(key).current();
        } catch (SQLException e) {
            throw new IllegalStateException("reading " + key + " from the store failed: " + e.getMessage(), e);
        }
    }
}
