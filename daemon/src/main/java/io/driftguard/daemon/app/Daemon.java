package io.driftguard.daemon.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.config.Durations;
import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.EventSink;
import io.driftguard.core.event.JsonLinesSink;
import io.driftguard.core.event.EventThrottle;
import io.driftguard.core.event.Severity;
import io.driftguard.core.log.Log;
import io.driftguard.core.store.Database;
import io.driftguard.core.store.EventStore;
import io.driftguard.core.store.Retention;
import io.driftguard.core.store.StoreSettings;
import io.driftguard.daemon.fleet.Fleet;
import java.nio.file.Path;
import io.driftguard.core.systemd.JournaldSink;
import io.driftguard.core.systemd.SdNotify;
import io.driftguard.core.toml.ConfigException;
import io.driftguard.core.store.Approvals;
import io.driftguard.core.store.ImageScans;
import io.driftguard.daemon.admission.AdmissionControl;
import io.driftguard.daemon.admission.Replacements;
import io.driftguard.daemon.authz.PluginServer;
import io.driftguard.daemon.bpf.BpfEnforcer;
import io.driftguard.daemon.bpf.BpfEventTranslator;
import io.driftguard.daemon.bpf.BpfException;
import io.driftguard.daemon.bpf.Mechanism;
import io.driftguard.daemon.bpf.BpfPins;
import io.driftguard.daemon.docker.ContainerResponder;
import io.driftguard.daemon.docker.DockerWatcher;
import io.driftguard.daemon.enforce.BaselineServices;
import io.driftguard.daemon.enforce.ExecGroups;
import io.driftguard.daemon.kernel.FdStore;
import io.driftguard.daemon.docker.EngineApi;
import io.driftguard.daemon.kernel.SocketActivation;
import io.driftguard.daemon.metrics.DaemonMetrics;
import io.driftguard.daemon.metrics.MetricSources;
import io.driftguard.daemon.metrics.ScannerRuns;
import io.driftguard.daemon.output.OutputWorker;
import io.driftguard.daemon.output.Outputs;
import io.driftguard.daemon.enforce.DecisionObserver;
import io.driftguard.daemon.enforce.EventDetails;
import io.driftguard.daemon.enforce.SensorManager;
import io.driftguard.daemon.hook.HookServer;
import io.driftguard.daemon.hook.StartAnswer;
import io.driftguard.daemon.hook.StartGate;
import io.driftguard.daemon.hook.StartRequest;
import io.driftguard.daemon.enforce.SensorStatus;
import io.driftguard.daemon.policy.Policy;
import io.driftguard.daemon.policy.PolicyLoader;
import io.driftguard.daemon.policy.PolicySet;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's life: start-up as named steps (each registers its teardown), then wait for a
 * signal. Teardown always runs, in reverse order, whatever step failed. SIGHUP reopens the
 * outputs' files and sockets and reloads the policies; an invalid new set is refused and the
 * running one stays.
 */
public final class Daemon {
    /** Identical events of a container within this window are stored once, then as one event with a count. */
    private static final Duration AGGREGATION_WINDOW = Duration.ofSeconds(10);
    /** Different events of one container stored one by one per window; more are counted into one overflow event. */
    private static final int EVENTS_PER_WINDOW = 200;
    private static final Log LOG = Log.of(Daemon.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The status answer's records with the keys every other status field uses (container_id, files_resolved). */
    private static final ObjectMapper SNAKE_CASE = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private final DaemonConfig config;
    private final Deque<Step> teardown = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch tornDown = new CountDownLatch(1);
    private final Instant started = Instant.now();
    private EventDispatcher events;
    private volatile SensorManager sensors; // read by the event writer's EventDetails
    private DockerWatcher watcher;
    private SdNotify notify;
    private volatile boolean ready;
    private BpfEnforcer bpf;
    private ExecGroups groups;
    /** Only touched by the watchdog's thread. */
    private boolean stallReported;
    private String bpfError;
    private AdmissionControl admission;
    private PluginServer plugin;
    private Fleet fleet;
    /** Where the running policies came from: [policies] dir, or the folder of the central revision. */
    private volatile Path policiesDir;
    private HookServer hook;
    private ContainerResponder responder;
    private Outputs outputs;
    /** Null unless [metrics] listen is set. */
    private DaemonMetrics metrics;

    /** A teardown action with a name for the log. */
    private record Step(String name, AutoCloseable action) {
    }

    public Daemon(DaemonConfig config) {
        this.config = config;
        this.policiesDir = config.policiesDir();
    }

    /** Runs until SIGTERM or SIGINT; returns the exit code. */
    public int run() throws Exception {
        try {
            startUp();
            LOG.info("running; " + statusLine());
            stopped.await();
            LOG.info("stopping");
            notify.send("STOPPING=1");
            return 0;
        } finally {
            tearDown();
            tornDown.countDown();
        }
    }

    private void startUp() throws Exception {
        // Local policies are checked before anything is opened; central ones come from the shared store or its cache.
        PolicySet policies = config.centralPolicies() ? null : loadLocalPolicies();
        lockInstance();
        StoreSettings localStore = config.store() instanceof StoreSettings.Postgres shared
                ? new StoreSettings.Sqlite(shared.localCache()) : config.store();
        Database database = step("open store " + localStore, () -> Database.open(localStore));
        onTeardown("close store", database);
        EventStore store = new EventStore(database, config.hostId());
        responder = ContainerResponder.open(config.dockerSocket());
        onTeardown("stop container responses", responder);
        if (config.metrics().enabled()) {
            metrics = new DaemonMetrics(metricSources(store, database));
        }
        List<EventSink> sinks = sinks(store);
        if (config.store() instanceof StoreSettings.Postgres shared) {
            fleet = step("open the local cache of " + shared, () -> openFleet(shared, localStore));
            sinks.add(fleet.outbox());
        }
        events = new EventDispatcher(sinks, 10_000, new EventThrottle(AGGREGATION_WINDOW, EVENTS_PER_WINDOW),
                new EventDetails(() -> sensors));
        onTeardown("flush events", events);
        boolean reached = fleet != null && fleet.connectNow();
        if (policies == null) {
            policies = loadCentralPolicies(reached);
        }
        startRetention(store);
        relayScannerEvents(store, localStore);
        notify = SdNotify.fromEnvironment();
        onTeardown("close sd_notify", notify);
        BpfEnforcer bpf = null;
        String bpfError = null;
        try {
            bpf = BpfEnforcer.open(event -> events.publish(BpfEventTranslator.toEvent(event)),
                    BpfPins.instanceFor(config.controlSocket()));
            onTeardown("unload eBPF programs", bpf);
            LOG.info("kernel probe:\n" + bpf.probe());
            if (bpf.pinError() != null) {
                events.publish(daemonEvent(EventAction.ALERTED, Severity.HIGH, "eBPF rules are not pinned, so they"
                        + " will not outlive the daemon: " + bpf.pinError()));
            }
        } catch (BpfException | RuntimeException e) {
            bpfError = e.getMessage();
            LOG.error("eBPF programs cannot be loaded; network, syscall and by-name rules will not be enforced: " + bpfError);
        }
        BaselineServices baselines = step("open baseline store " + localStore, () -> BaselineServices.open(localStore,
                config.dockerSocket(), config.helpersDir(), events, fleet == null ? image -> { } : fleet::changed));
        onTeardown("close baseline store", baselines);
        groups = new ExecGroups(FdStore.fromEnvironment(System.getenv()));
        sensors = new SensorManager(policies, events, config.enforcement(), bpf, bpfError, baselines, groups,
                metrics == null ? DecisionObserver.NONE : new DecisionMetrics(metrics));
        this.bpf = bpf;
        this.bpfError = bpfError;
        onTeardown("detach from containers", sensors);
        watcher = DockerWatcher.open(config.dockerSocket(), sensors);
        sensors.lookUpUnannounced(watcher::listed);
        onTeardown("stop watching Docker", watcher);
        watcher.start();
        startHook();
        startAdmission(policies, database);
        if (fleet != null) {
            fleet.start(() -> new Fleet.Counts(sensors.runningCount(), sensors.attachedCount()),
                    config.centralPolicies() ? (dir, revision) -> reload(dir, "central policy revision " + revision) : null);
        }
        ControlServer control = step("open control socket " + config.controlSocket(),
                () -> ControlServer.start(config.controlSocket(), this::control));
        onTeardown("close control socket", control);
        installSignals();
        serveMetrics();
        boolean synced = watcher.awaitFirstSync(Duration.ofSeconds(60));
        if (!synced) {
            LOG.warn("Docker did not answer within 60s; running, and attaching once it does");
        }
        retirePreviousRulesAfterSync(synced);
        reportRunning("start");
        events.publish(daemonEvent(EventAction.INFO, Severity.INFO, "driftguard started: "
                + policies.policies().size() + " policies from " + policiesDir + ", "
                + sensors.attachedCount() + " of " + sensors.runningCount() + " running containers attached"));
        ready = true;
        // What start-up freed (libbpf's parse of the kernel's BTF, tens of MB) goes back to the kernel.
        io.driftguard.daemon.kernel.LibC.INSTANCE.malloc_trim(0);
        notify.send("READY=1\nSTATUS=" + statusLine());
        startWatchdog();
    }

    private PolicySet loadLocalPolicies() throws Exception {
        PolicySet policies = step("load policies", () -> PolicyLoader.load(config.policiesDir(), false));
        if (policies.policies().isEmpty()) {
            LOG.warn("no policies in " + config.policiesDir() + " (" + PolicyLoader.ALLOW_EMPTY_MARKER + " allows it): nothing will be enforced");
        }
        return policies;
    }

    /** The local cache and outbox beside a shared store, and the link that keeps them in step with it. */
    private Fleet openFleet(StoreSettings.Postgres shared, StoreSettings localStore) throws Exception {
        Database cache = Database.open(localStore);
        onTeardown("close the local cache", cache);
        Fleet link = Fleet.open(shared, config.hostId(), cache, config.retention(), event -> events.publish(event));
        onTeardown("send queued events and close the shared store", link);
        return link;
    }

    /**
     * {@code [policies] source = "central"}: the newest published revision, read from the shared
     * store when it answers within a few seconds, else from the local cache; with neither, the
     * local folder, said in an event.
     */
    private PolicySet loadCentralPolicies(boolean reached) throws Exception {
        Optional<Path> central = fleet.cachedPolicies();
        if (central.isPresent()) {
            long revision = fleet.cachedRevision().orElseThrow();
            try {
                PolicySet set = PolicyLoader.load(central.get(), false);
                fleet.running(revision);
                policiesDir = central.get();
                LOG.info("running central policy revision " + revision + (reached ? "" : " from the local cache"));
                return set;
            } catch (ConfigException e) {
                events.publish(daemonEvent(EventAction.ALERTED, Severity.HIGH, "Central policy revision " + revision
                        + " is not valid here; starting from " + config.policiesDir() + ": " + e.getMessage().replace('\n', ';')));
            }
        } else {
            String why = "no central policy revision " + (reached ? "is published" : "is cached and the shared store does not answer")
                    + "; starting from " + config.policiesDir() + " until one is";
            LOG.warn(why);
            events.publish(daemonEvent(EventAction.ALERTED, Severity.MEDIUM, "Policies: " + why));
        }
        return loadLocalPolicies();
    }

    /** The socket driftguard-runtime's start hook asks, so that enforcement is attached before a container's first exec. */
    private void startHook() throws Exception {
        Path socket = config.runtime().hookSocket();
        if (socket == null) {
            return;
        }
        hook = step("open hook socket " + socket, () -> HookServer.start(socket, new StartGate() {
            @Override
            public StartAnswer beforeStart(StartRequest request) {
                return sensors.beforeStart(request, watcher::listed);
            }

            @Override
            public void abandoned(StartRequest request) {
                sensors.abandoned(request);
            }
        }, events::publish));
        onTeardown("close hook socket", hook);
        LOG.info("start hook socket listening on " + socket);
    }

    /** Before anything touches state: one daemon per state folder and per control socket. */
    private void lockInstance() throws Exception {
        Path state = config.store().folder();
        onTeardown("unlock state folder", step("lock state folder " + state,
                () -> InstanceLock.acquire(state.resolve("driftguard.lock"), "state folder " + state)));
        Path socket = config.controlSocket();
        onTeardown("unlock control socket", step("lock control socket " + socket,
                () -> InstanceLock.acquire(socket.resolveSibling(socket.getFileName() + ".lock"), "control socket " + socket)));
    }

    /**
     * The eBPF rules that a previous run pinned stay in force until this run has attached to the
     * running containers (Docker's first answer), so a restart leaves no gap; then they go, with
     * the fanotify groups it kept for containers this run did not attach.
     */
    private void retirePreviousRulesAfterSync(boolean synced) {
        if (synced) {
            retirePrevious();
            return;
        }
        Thread waiter = new Thread(() -> {
            try {
                watcher.awaitFirstSync(Duration.ofDays(365));
                retirePrevious();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "driftguard-retire-previous");
        waiter.setDaemon(true);
        waiter.start();
    }

    private void retirePrevious() {
        if (bpf != null) {
            bpf.retirePrevious();
        }
        int released = groups.releaseUnclaimed();
        if (released > 0) {
            LOG.info("released " + released + " fanotify groups kept by the previous run for containers not attached now");
        }
    }

    /**
     * The authorization plugin: on the socket systemd holds (driftguard-authz.socket) when it
     * passed one, else on {@code [admission] socket}; none when that is "".
     */
    private void startAdmission(PolicySet policies, Database database) throws Exception {
        boolean inherited = step("take the plugin socket from systemd",
                () -> SocketActivation.moveToInherited("driftguard-authz.socket", System.getenv()));
        if (config.admissionSocket() == null && !inherited) {
            return;
        }
        EngineApi engine = EngineApi.open(config.dockerSocket());
        onTeardown("close admission engine client", engine);
        admission = new AdmissionControl(policies, engine, fleet == null ? new Approvals(database) : fleet.approvals(),
                fleet == null ? new ImageScans(database) : fleet.scans(),
                step("prepare admission store", () -> new Replacements(database, engine, events::publish)), events::publish,
                config.runtime().hookSocket() == null ? null : config.runtime().name());
        String where = inherited ? "the socket passed by systemd" : config.admissionSocket().toString();
        try {
            plugin = PluginServer.start(config.admissionSocket(), inherited, admission);
        } catch (IOException e) {
            // Enforcement inside containers goes on; a dockerd configured with the plugin refuses requests meanwhile.
            admission = null;
            LOG.error("the authorization plugin cannot listen on " + where + ": " + e.getMessage());
            events.publish(daemonEvent(EventAction.ALERTED, Severity.HIGH, "Admission control is off: the authorization"
                    + " plugin cannot listen on " + where + ": " + e.getMessage()));
            return;
        }
        onTeardown("stop the authorization plugin", plugin);
        LOG.info("authorization plugin listening on " + where);
    }

    /**
     * The scanner's findings go to the outputs and the metrics too; the store and journald have them
     * already. With {@code [store] url} the scanner writes to the shared store, not to the local cache.
     */
    private void relayScannerEvents(EventStore store, StoreSettings localStore) throws Exception {
        List<EventSink> relayed = new ArrayList<>(outputs.sinks());
        if (metrics != null) {
            relayed.add(metrics);
        }
        if (relayed.isEmpty()) {
            return;
        }
        onTeardown("stop relaying scanner events", step("follow the scanner's events", () -> fleet == null
                ? ScannerEventRelay.start(store, localStore.toString(), relayed)
                : ScannerEventRelay.startShared(fleet.shared(), config.hostId(), relayed)));
    }

    /** What the metrics read at each scrape; the fields they name are set before the endpoint serves. */
    private MetricSources metricSources(EventStore store, Database database) {
        return new MetricSources(() -> sensors.attachedCount(), () -> sensors.runningCount(),
                () -> bpf == null ? 0 : bpf.lostEvents(), store::usedBytes,
                () -> outputs.sinks().stream().map(o -> new MetricSources.OutputCounts(o.name(), o.sent(), o.dropped(), o.queued())).toList(),
                new ScannerRuns(database, config.store() instanceof StoreSettings.Postgres ? Fleet.scannerRunsTable() : "registry_runs"));
    }

    /** The Prometheus endpoint; one that cannot listen leaves enforcement running, said as an event. */
    private void serveMetrics() {
        if (metrics == null) {
            return;
        }
        try {
            metrics.serve(config.metrics());
            LOG.info("metrics on http://" + config.metrics() + "/metrics");
        } catch (IOException e) {
            LOG.error("the metrics endpoint cannot listen on " + config.metrics() + ": " + e.getMessage());
            events.publish(daemonEvent(EventAction.ALERTED, Severity.HIGH, "Metrics are off: cannot listen on "
                    + config.metrics() + ": " + e.getMessage()));
        }
    }

    /** Running containers judged against the admission rules; each breaking one is an event. */
    private void reportRunning(String when) {
        if (admission == null) {
            return;
        }
        try {
            int breaking = admission.reportRunning(when, sensors::isolate);
            LOG.info("admission: " + breaking + " running containers break the admission rules (" + when + ")");
        } catch (RuntimeException e) {
            LOG.warn("admission: running containers could not be judged at " + when + ": " + e.getMessage());
        }
    }

    /** journald where it runs (or stdout), always the store, and the [[output]]s. */
    private List<EventSink> sinks(EventStore store) throws IOException {
        List<EventSink> sinks = new ArrayList<>();
        sinks.add(store);
        if (metrics != null) {
            sinks.add(metrics);
        }
        // Drop reports and response outcomes come after start-up, when the dispatcher exists: the lambdas read the field then.
        sinks.add(new ResponseSink(responder, event -> events.publish(event)));
        outputs = Outputs.start(config.outputs(), event -> events.publish(event));
        sinks.addAll(outputs.sinks());
        for (String sink : config.eventSinks()) {
            switch (sink) {
                case "journald" -> sinks.add(new JournaldSink(JournaldSink.SOCKET));
                case "stdout" -> sinks.add(new JsonLinesSink(System.out));
                default -> sinks.add(JournaldSink.available() ? new JournaldSink(JournaldSink.SOCKET) : new JsonLinesSink(System.out));
            }
        }
        return sinks;
    }

    /**
     * SIGTERM and SIGINT end {@link #run} normally, so the exit code is 0 (the JVM's own handler
     * would exit with 143, which systemd counts as a failure). The hook covers other exits.
     */
    private void installSignals() {
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> stopped.countDown());
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> stopped.countDown());
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> new Thread(this::reload, "driftguard-reload").start());
        // The JVM exits when its hooks return: hold it until teardown has released every container.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopped.countDown();
            try {
                tornDown.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "driftguard-shutdown"));
    }

    private void refuseReload(String what, String why) {
        int kept = sensors.policies().policies().size();
        LOG.error(what + " refused, keeping the " + kept + " running policies:\n" + why);
        events.publish(daemonEvent(EventAction.ALERTED, Severity.HIGH, what + " failed; keeping the "
                + kept + " running policies: " + why.replace('\n', ';')));
    }

    /** SIGHUP: the folder the running policies came from, read again. */
    void reload() {
        reload(policiesDir, "Policy reload");
    }

    /**
     * Loads the policies of {@code dir}; a set that does not validate, or that has fewer files than
     * the running one (unless the folder's marker allows it), is refused and the running one kept.
     * {@code what} names the reload in messages; returns whether the set now runs.
     */
    synchronized boolean reload(Path dir, String what) {
        try {
            notify.send("RELOADING=1");
            outputs.reopen();
            PolicySet fresh;
            try {
                fresh = PolicyLoader.load(dir, false);
            } catch (ConfigException e) {
                refuseReload(what, e.getMessage());
                return false;
            } catch (RuntimeException | StackOverflowError e) {
                refuseReload(what, "cannot read the policies: " + e);
                return false;
            }
            Optional<String> shrinks = fresh.shrinks(sensors.policies());
            if (shrinks.isPresent()) {
                refuseReload(what, shrinks.get());
                return false;
            }
            sensors.reload(fresh);
            if (admission != null) {
                admission.reload(fresh);
                reportRunning("reload");
            }
            policiesDir = dir;
            LOG.info("reloaded " + fresh.policies().size() + " policies from " + dir + " (" + what + ")");
            events.publish(daemonEvent(EventAction.INFO, Severity.INFO, "Policies reloaded (" + what + "): "
                    + fresh.policies().stream().map(Policy::name).toList() + "; " + sensors.attachedCount()
                    + " containers attached"));
            return true;
        } catch (IOException e) {
            LOG.warn("sd_notify: " + e.getMessage());
            return false;
        } finally {
            try {
                notify.send("READY=1\nSTATUS=" + statusLine());
            } catch (IOException e) {
                LOG.warn("sd_notify: " + e.getMessage());
            }
        }
    }

    /** Enforces [store] max_age and max_size at start and every minute while running, off every decision path. */
    private void startRetention(EventStore store) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "driftguard-retention");
            t.setDaemon(true);
            return t;
        });
        onTeardown("stop retention", timer::shutdownNow);
        Retention retention = config.retention();
        timer.scheduleWithFixedDelay(() -> {
            try {
                EventStore.Pruned pruned = store.prune(retention, Instant.now());
                if (pruned.byAge() + pruned.bySize() > 0) {
                    String text = "Store retention removed " + pruned.byAge() + " events older than " + Durations.format(retention.maxAge())
                            + " and " + pruned.bySize() + " of the oldest to stay under max_size " + retention.maxBytes() + " bytes";
                    LOG.info(text);
                    events.publish(Event.builder(EventKind.DAEMON, EventAction.INFO, Severity.INFO)
                            .detail("removed", Long.toString(pruned.byAge() + pruned.bySize())).message(text).build());
                }
            } catch (SQLException | RuntimeException e) {
                LOG.error("store retention failed: " + e.getMessage());
            }
        }, 0, 60, TimeUnit.SECONDS);
    }

    /**
     * Pings systemd's watchdog (WATCHDOG=1) only while every exec decision loop makes progress:
     * a stalled daemon is then killed and restarted within WatchdogSec, which bounds how long an
     * exec waits. Without a watchdog, the status line is refreshed every 30 s.
     */
    private void startWatchdog() {
        long micros = SdNotify.watchdogMicros();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "driftguard-watchdog");
            t.setDaemon(true);
            return t;
        });
        onTeardown("stop watchdog", timer::shutdownNow);
        long periodMicros = micros > 0 ? micros / 5 : TimeUnit.SECONDS.toMicros(30);
        timer.scheduleAtFixedRate(() -> {
            try {
                List<String> stalled = micros > 0 ? sensors.stalled() : List.of();
                if (!stalled.isEmpty()) {
                    reportStall(stalled);
                    return;
                }
                stallReported = false;
                notify.send((micros > 0 ? "WATCHDOG=1\n" : "") + "STATUS=" + statusLine());
            } catch (IOException | RuntimeException e) {
                LOG.warn("watchdog: " + e.getMessage());
            }
        }, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
    }

    private void reportStall(List<String> stalled) {
        if (stallReported) {
            return;
        }
        stallReported = true;
        String text = "exec decisions stalled in containers " + stalled + ": the watchdog is no longer fed and will restart the daemon";
        LOG.error(text);
        events.publish(daemonEvent(EventAction.ALERTED, Severity.CRITICAL, "Exec decisions stalled in containers " + stalled
                + "; the systemd watchdog restarts the daemon"));
    }

    private String statusLine() {
        return (watcher.connected() ? "" : "Docker unreachable; ") + sensors.attachedCount() + " of "
                + sensors.runningCount() + " containers attached, " + sensors.policies().policies().size()
                + " policies" + (events.dropped() > 0 ? ", " + events.dropped() + " events dropped" : "");
    }

    /**
     * Answers the control socket: "status" gives the JSON that {@code driftguard status} prints;
     * "isolate NAME" and "release NAME" cut and restore a container's network; "stop NAME" stops it.
     */
    private String control(String request) {
        ObjectNode answer = JSON.createObjectNode();
        String[] words = request.split(" ", 2);
        switch (words[0]) {
            case "status" -> status(answer);
            case "isolate", "release" -> {
                if (words.length < 2 || words[1].isBlank()) {
                    answer.put("error", words[0] + " needs a container name or id");
                } else {
                    String result = words[0].equals("isolate")
                            ? sensors.isolate(words[1].trim(), "isolated by hand (driftguard isolate)")
                            : sensors.release(words[1].trim(), "released by hand (driftguard release)");
                    answer.put(result.startsWith("error: ") ? "error" : "result", result.replaceFirst("^error: ", ""));
                }
            }
            case "stop" -> {
                if (words.length < 2 || words[1].isBlank()) {
                    answer.put("error", "stop needs a container name or id");
                } else {
                    stopByHand(words[1].trim(), answer);
                }
            }
            default -> answer.put("error", "unknown request '" + request + "'; known: status, isolate NAME, release NAME, stop NAME");
        }
        return answer.toString();
    }

    /** driftguard stop: the container is stopped through the Docker API, and an event says so. */
    private void stopByHand(String container, ObjectNode answer) {
        try {
            ContainerResponder.Named stopped = responder.stopNow(container);
            events.publish(Event.builder(EventKind.DAEMON, EventAction.STOPPED, Severity.HIGH)
                    .container(stopped.id(), stopped.name(), null, null)
                    .detail("response", ContainerResponder.Response.STOP.done())
                    .detail("reason", "stopped by hand (driftguard stop)")
                    .message("Stopped container " + stopped.name() + " through the Docker API (driftguard stop); driftguard never"
                            + " starts it again")
                    .build());
            answer.put("result", "stopped " + stopped.name());
        } catch (IOException e) {
            answer.put("error", e.getMessage());
        }
    }

    private void status(ObjectNode answer) {
        answer.put("pid", ProcessHandle.current().pid());
        answer.put("ready", ready);
        answer.put("started", started.toString());
        answer.put("config", config.file().toString());
        answer.put("docker_connected", watcher.connected());
        answer.put("policies_dir", policiesDir.toString());
        ArrayNode policyNames = answer.putArray("policies");
        sensors.policies().policies().forEach(p -> policyNames.add(p.name()));
        answer.put("running_containers", sensors.runningCount());
        answer.put("attached_containers", sensors.attachedCount());
        answer.put("events_dropped", events.dropped());
        answer.put("event_sink_failures", events.failed());
        ArrayNode outputList = answer.putArray("outputs");
        for (OutputWorker output : outputs.sinks()) {
            outputList.addObject().put("name", output.name()).put("target", output.target())
                    .put("sent", output.sent()).put("dropped", output.dropped()).put("queued", output.queued());
        }
        answer.put("metrics", config.metrics().toString());
        Map<String, String> kernel = new TreeMap<>(); // the probe's own order varies between runs
        kernel.put("fanotify", "FAN_OPEN_EXEC_PERM on container mounts");
        if (bpf == null) {
            kernel.put("ebpf", "unavailable: " + bpfError);
        } else {
            bpf.probe().results().forEach((mechanism, result) -> kernel.put(mechanism.description(),
                    result.available() ? "yes" : "no: " + result.detail()));
            kernel.put("ebpf_pinned", bpf.pinned() != null ? bpf.pinned() : "no: " + bpf.pinError());
            try {
                answer.put("kernel_events_lost", bpf.lostEvents());
            } catch (BpfException e) {
                answer.put("kernel_events_lost", -1);
            }
        }
        startRace(answer.putObject("start_race"));
        if (admission != null) {
            ObjectNode authz = answer.putObject("admission");
            authz.put("socket", String.valueOf(plugin.socket()));
            admission.counts().forEach(authz::put);
            authz.put("malformed_messages", plugin.malformed());
        }
        if (fleet != null) {
            answer.set("fleet", JSON.valueToTree(fleet.status()));
        }
        kernel.forEach(answer.putObject("kernel")::put);
        ArrayNode containers = answer.putArray("containers");
        for (SensorStatus status : sensors.status()) {
            containers.add(SNAKE_CASE.valueToTree(status));
        }
        ArrayNode unattached = answer.putArray("unattached");
        for (SensorManager.Unattached container : sensors.unattached()) {
            unattached.add(SNAKE_CASE.valueToTree(container));
        }
    }

    /** Which mechanism closes the start race: the runtime's start hook, and the kernel backstop under it. */
    private void startRace(ObjectNode race) {
        boolean backstop = bpf != null && bpf.probe().results().get(Mechanism.TP_BTF).available()
                && bpf.probe().results().get(Mechanism.SEND_SIGNAL).available();
        long hooked = hook == null ? 0 : hook.counts().get("attached_before_first_exec") + hook.counts().get("not_selected");
        race.put("mechanism", hook != null && hooked > 0 ? "hook"
                : backstop ? "kernel backstop (cgroup_mkdir templates, hold)" : "none (attach on Docker's start event)");
        race.put("kernel_backstop", backstop);
        if (hook == null) {
            race.put("hook", "off ([runtime] hook_socket = \"\")");
            return;
        }
        race.put("hook_socket", hook.socket().toString());
        race.put("hook", hooked > 0 ? "in use: runc's createRuntime hook asks before each container's first exec"
                : "listening, not used yet: run driftguard docker setup (Docker's default runtime " + config.runtime().name() + ")");
        race.put("fail", config.runtime().failClosed() ? "closed" : "open");
        race.put("hook_timeout_ms", config.runtime().timeout().toMillis());
        hook.counts().forEach(race::put);
    }

    private Event daemonEvent(EventAction action, Severity severity, String message) {
        return Event.builder(EventKind.DAEMON, action, severity).message(message).build();
    }

    /** A start-up step whose failure names the step. */
    private interface StepBody<T> {
        T run() throws Exception;
    }

    private <T> T step(String name, StepBody<T> body) throws Exception {
        LOG.debug("start-up: " + name);
        try {
            return body.run();
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    private void onTeardown(String name, AutoCloseable action) {
        teardown.push(new Step(name, action));
    }

    private void tearDown() {
        while (!teardown.isEmpty()) {
            Step step = teardown.pop();
            try {
                LOG.debug("teardown: " + step.name());
                step.action().close();
            } catch (Exception e) {
                LOG.warn("teardown step '" + step.name() + "' failed: " + e.getMessage());
            }
        }
    }
}
