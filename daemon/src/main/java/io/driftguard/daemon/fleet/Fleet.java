package io.driftguard.daemon.fleet;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.log.Log;
import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Approvals;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.ImageScans;
import io.driftguard.core.store.EventStore;
import io.driftguard.core.store.Retention;
import io.driftguard.core.store.StoreSettings;
import io.driftguard.daemon.baseline.BaselineStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A host's link to the shared PostgreSQL store, on one thread of its own that no decision ever
 * waits for. It holds a dedicated connection that LISTENs on channel {@code driftguard}; each
 * notification names a topic and its new revision, and the topic is re-read into the local cache.
 * NOTIFY is not replayed, so every (re)connect re-reads every topic. Each turn it also sends what
 * this host learnt (baselines, profiles) and its queued events, and every {@link #HEARTBEAT} writes
 * its row in {@code hosts}. While the store does not answer the host runs from its cache, events
 * queue in the outbox, and it retries every second; losing and regaining the store are events.
 */
public final class Fleet implements AutoCloseable {
    private static final Log LOG = Log.of(Fleet.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);
    private static final Duration FULL_READ_EVERY = Duration.ofMinutes(1);
    /** How often events dropped at a full outbox are reported, as one event with their count. */
    private static final Duration DROPS_REPORTED_EVERY = Duration.ofSeconds(10);
    private static final int LISTEN_WAIT_MS = 250;
    private static final String CHANNEL = "driftguard";

    /** What a notification can be about. */
    enum Topic {
        APPROVALS, SCANS, BASELINES, POLICIES, RUNS;

        static Optional<Topic> of(String wire) {
            for (Topic t : values()) {
                if (t.name().equalsIgnoreCase(wire)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /** Applies a policy folder as a reload does; false when it was refused and the running set kept. */
    public interface PolicyApplier {
        boolean apply(Path dir, long revision);
    }

    /** What the heartbeat reports of this host's containers. */
    public record Counts(int running, int attached) {
    }

    private final StoreSettings.Postgres settings;
    private final String hostId;
    private final Database central;
    private final Database local;
    private final Outbox outbox;
    private final EventSender sender;
    private final TableCopy approvals;
    private final TableCopy scans;
    private final TableCopy runs;
    private final PendingImages pending;
    private final BaselineSync baselines;
    private final PolicyCopy policyCopy;
    private final Path policyDir;
    private final Retention retention;
    private final Consumer<Event> events;
    private final Instant started = Instant.now();
    private final Set<Topic> dirty = ConcurrentHashMap.newKeySet();
    private final Map<Topic, Long> notified = new ConcurrentHashMap<>();
    private volatile Connection listen;
    private volatile boolean running = true;
    private volatile Boolean reachable;
    private volatile String lastError;
    private volatile long failures;
    private volatile Long policyRevision;
    private long seenPolicyRevision;
    private boolean migrated;
    private BaselineStore centralBaselines;
    private Hosts hosts;
    private PolicyRevisions revisions;
    private EventStore centralEvents;
    private PolicyApplier policyApplier;
    private Supplier<Counts> counts = () -> new Counts(0, 0);
    private Instant lastBeat = Instant.EPOCH;
    private Instant lastPrune = Instant.EPOCH;
    private Instant lastFullRead = Instant.now();
    private Instant lastDropReport = Instant.EPOCH;
    private Thread thread;

    private Fleet(StoreSettings.Postgres settings, String hostId, Database local, Retention retention, Consumer<Event> events)
            throws IOException, SQLException {
        this.settings = settings;
        this.hostId = hostId;
        this.outbox = new Outbox(local, settings.outboxMaxEvents());
        this.sender = new EventSender(outbox, hostId);
        this.approvals = TableCopy.approvals(local);
        this.scans = TableCopy.scans(local);
        this.runs = TableCopy.scannerRuns(local);
        this.local = local;
        this.pending = new PendingImages(local);
        // Its own instance on the local tables: what it writes there came from the shared store, not from this host.
        this.baselines = new BaselineSync(BaselineStore.on(local), pending);
        this.policyCopy = new PolicyCopy(local);
        this.policyDir = settings.folder().resolve("central-policies");
        this.retention = retention;
        this.events = events;
        this.central = Database.openUnreachable(settings, CONNECT_TIMEOUT);
        dirty.addAll(EnumSet.allOf(Topic.class));
    }

    /**
     * The link for a host whose local cache is {@code local} (its SQLite file, migrated now);
     * {@code events} hears of losing and regaining the store. Nothing is contacted until
     * {@link #connectNow} or {@link #start}.
     */
    public static Fleet open(StoreSettings.Postgres settings, String hostId, Database local, Retention retention,
                             Consumer<Event> events) throws IOException, SQLException {
        local.migrate("fleetcache");
        return new Fleet(settings, hostId, local, retention, events);
    }

    /** The queue every event goes to first; an event sink. */
    public Outbox outbox() {
        return outbox;
    }

    /**
     * The shared store's pool, for readers of their own (the scanner's events): it opens without a
     * connection, a call fails within the connect timeout while the store does not answer, and
     * {@link #close} closes it.
     */
    public Database shared() {
        return central;
    }

    /** The approvals admission reads: the local copy, refreshed by this link. */
    public Approvals approvals() {
        return new Approvals(local, approvals.localTable(), Clock.systemUTC());
    }

    /** The image scans admission reads: the local copy, refreshed by this link. */
    public ImageScans scans() {
        return new ImageScans(local, scans.localTable());
    }

    /** The local table holding the scanner's last finished run of the shared store, refreshed by this link. */
    public static String scannerRunsTable() {
        return TableCopy.SCANNER_RUNS;
    }

    /** Records that this host changed an image's baseline or profile, to be sent (now, or once the store is back). */
    public void changed(Digest image) {
        try {
            pending.mark(image);
        } catch (SQLException e) {
            LOG.warn("fleet: cannot mark image " + image + " to be sent: " + e.getMessage());
        }
    }

    /**
     * Tries the shared store once (bounded by the connect timeout) and reads approvals, baselines,
     * profiles and the newest published policies into the cache, for a start that attaches with
     * the fleet's newest state; false when it did not answer (the cache is what there is).
     */
    public boolean connectNow() {
        try {
            connect();
            approvals.refresh(central);
            scans.refresh(central);
            runs.refresh(central);
            baselines.send(centralBaselines);
            baselines.receive(centralBaselines);
            refreshPolicyCache();
            return true;
        } catch (SQLException | IOException | RuntimeException e) {
            lost(e);
            return false;
        }
    }

    /** The newest published policy set this host knows of, written out to a folder of its own; empty when none was ever read. */
    public Optional<Path> cachedPolicies() throws SQLException, IOException {
        Optional<PolicyCopy.Cached> cached = policyCopy.get();
        if (cached.isEmpty()) {
            return Optional.empty();
        }
        cached.get().files().writeTo(policyDir);
        seenPolicyRevision = cached.get().revision();
        return Optional.of(policyDir);
    }

    /** The revision of the cached policies, once the daemon runs them. */
    public void running(long revision) {
        policyRevision = revision;
    }

    public Optional<Long> cachedRevision() throws SQLException, IOException {
        return policyCopy.get().map(PolicyCopy.Cached::revision);
    }

    /** Starts the link's thread; {@code applier} follows the published policies (null: this host keeps its own). */
    public synchronized void start(Supplier<Counts> counts, PolicyApplier applier) {
        this.counts = counts;
        this.policyApplier = applier;
        thread = new Thread(this::loop, "driftguard-fleet");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            reportDrops(Instant.now());
            try {
                if (listen == null) {
                    connect();
                }
                PGNotification[] notifications = listen.unwrap(PGConnection.class).getNotifications(LISTEN_WAIT_MS);
                if (notifications != null) {
                    for (PGNotification n : notifications) {
                        heard(n.getParameter());
                    }
                }
                turn();
                if (!Boolean.TRUE.equals(reachable)) {
                    regained();
                }
            } catch (SQLException | IOException | RuntimeException e) {
                if (!running) {
                    return;
                }
                lost(e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** "TOPIC REVISION": re-read the topic unless this revision was seen already. */
    private void heard(String payload) {
        String[] words = payload.split(" ");
        Optional<Topic> topic = Topic.of(words[0]);
        if (topic.isEmpty()) {
            return;
        }
        long revision;
        try {
            revision = words.length > 1 ? Long.parseLong(words[1]) : Long.MAX_VALUE;
        } catch (NumberFormatException e) {
            revision = Long.MAX_VALUE;
        }
        Long before = notified.get(topic.get());
        if (before == null || revision > before) {
            notified.put(topic.get(), revision);
            dirty.add(topic.get());
        }
    }

    private void connect() throws SQLException, IOException {
        closeListen();
        Connection c = central.dedicatedConnection(CONNECT_TIMEOUT);
        try {
            if (!migrated) {
                hosts = new Hosts(central);
                revisions = new PolicyRevisions(central);
                centralEvents = new EventStore(central, hostId);
                centralBaselines = BaselineStore.on(central);
                migrated = true;
            }
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
            }
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        listen = c;
        notified.clear();
        // Changes made while away were announced to nobody: re-read everything.
        dirty.addAll(EnumSet.allOf(Topic.class));
    }

    /** One turn with the store answering: re-read what changed, send what is new, beat and prune when due. */
    private void turn() throws SQLException, IOException {
        Instant now = Instant.now();
        if (Duration.between(lastFullRead, now).compareTo(FULL_READ_EVERY) >= 0) {
            // A safety net for a NOTIFY lost with a connection that died unnoticed, or a trigger missing.
            dirty.addAll(EnumSet.allOf(Topic.class));
            lastFullRead = now;
        }
        if (dirty.remove(Topic.APPROVALS)) {
            int count = approvals.refresh(central);
            LOG.debug("fleet: " + count + " approvals read");
        }
        if (dirty.remove(Topic.SCANS)) {
            scans.refresh(central);
        }
        if (dirty.remove(Topic.RUNS)) {
            runs.refresh(central);
        }
        baselines.send(centralBaselines);
        if (dirty.remove(Topic.BASELINES)) {
            baselines.receive(centralBaselines);
        }
        if (dirty.remove(Topic.POLICIES) && policyApplier != null) {
            followPolicies();
        }
        sender.drain(central);
        if (Duration.between(lastBeat, now).compareTo(HEARTBEAT) >= 0) {
            Counts c = counts.get();
            hosts.beat(new Hosts.Host(hostId, version(), started, now, c.running(), c.attached(),
                    policyApplier == null ? "local" : "central", policyRevision, outbox.size()));
            lastBeat = now;
        }
        if (Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) >= 0) {
            long removed = centralEvents.pruneOlderThan(now.minus(retention.maxAge()));
            if (removed > 0) {
                LOG.info("fleet: removed " + removed + " events older than [store] max_age from the shared store");
            }
            lastPrune = now;
        }
    }

    /** Reads the newest revision into the cache; true when it is one this host has not seen. */
    private boolean refreshPolicyCache() throws SQLException, IOException {
        Optional<PolicyRevisions.Revision> latest = revisions.latest();
        if (latest.isEmpty() || latest.get().number() == seenPolicyRevision) {
            return false;
        }
        policyCopy.put(latest.get().number(), latest.get().files());
        return true;
    }

    private void followPolicies() throws SQLException, IOException {
        if (!refreshPolicyCache()) {
            return;
        }
        PolicyCopy.Cached cached = policyCopy.get().orElseThrow();
        seenPolicyRevision = cached.revision();
        cached.files().writeTo(policyDir);
        if (policyApplier.apply(policyDir, cached.revision())) {
            policyRevision = cached.revision();
        }
    }

    /**
     * Events that found the outbox full, as one event with their count (the metrics count them
     * from it): at once for the first, then at most every {@link #DROPS_REPORTED_EVERY}. The report
     * itself may find the outbox full; the next one counts it.
     */
    private void reportDrops(Instant now) {
        if (Duration.between(lastDropReport, now).compareTo(DROPS_REPORTED_EVERY) < 0) {
            return;
        }
        long dropped = outbox.takeDropped();
        if (dropped == 0) {
            return;
        }
        lastDropReport = now;
        String text = dropped + " events were not queued for the shared store " + settings + ": its outbox is full ([store]"
                + " outbox_max_events = " + outbox.maxEvents() + ") while it does not answer; they are in this host's local store"
                + " and journal only (" + outbox.droppedTotal() + " since start)";
        LOG.warn(text);
        events.accept(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.HIGH).detail("store", settings.toString())
                .detail("outbox", "full").detail("dropped", Long.toString(dropped)).message(text).build());
    }

    private void lost(Exception e) {
        closeListen();
        failures++;
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        lastError = why;
        if (!Boolean.FALSE.equals(reachable)) {
            reachable = false;
            long queued = queued();
            String text = "Shared store " + settings + " does not answer (" + why + "); running from the local cache, "
                    + queued + " events queued, retrying every second";
            LOG.warn(text);
            events.accept(Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.MEDIUM)
                    .detail("store", settings.toString()).detail("queued", Long.toString(queued)).message(text).build());
        }
    }

    private void regained() {
        reachable = true;
        String text = "Shared store " + settings + " answers; re-read approvals, baselines and policies, " + sender.sent()
                + " events sent so far";
        LOG.info(text);
        events.accept(Event.builder(EventKind.DAEMON, EventAction.INFO, Severity.INFO).detail("store", settings.toString())
                .message(text).build());
    }

    private long queued() {
        return outbox.size();
    }

    /** What {@code driftguard status} shows under "fleet". */
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("store", settings.toString());
        status.put("connected", Boolean.TRUE.equals(reachable));
        status.put("queued_events", queued());
        status.put("sent_events", sender.sent());
        status.put("outbox_max_events", outbox.maxEvents());
        status.put("dropped_events", outbox.droppedTotal());
        status.put("connection_failures", failures);
        status.put("last_error", lastError);
        status.put("policy_source", policyApplier == null ? "local" : "central");
        status.put("policy_revision", policyRevision);
        return status;
    }

    private static String version() {
        String version = Fleet.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private void closeListen() {
        Connection c = listen;
        listen = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("fleet: closing the listening connection: " + e.getMessage());
            }
        }
    }

    /** Stops the thread, sends what is still queued when the store answers, and closes the pool. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            t.join(5000);
        }
        try {
            if (Boolean.TRUE.equals(reachable)) {
                sender.drain(central);
            }
        } catch (SQLException e) {
            LOG.warn("fleet: " + queued() + " events stay queued for the next start: " + e.getMessage());
        } finally {
            closeListen();
            central.close();
        }
    }
}
