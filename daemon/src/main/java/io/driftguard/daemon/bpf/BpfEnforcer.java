package io.driftguard.daemon.bpf;

import io.driftguard.core.log.Log;
import io.driftguard.core.model.ContainerId;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.policy.SyscallTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * driftguard's eBPF side: loads driftguard.bpf.o once, attaches the syscall and exec programs
 * globally (they filter by cgroup id in the kernel), and attaches the network programs to each
 * container's cgroup through {@link #attach}. With a pin folder (see {@link BpfPins}) maps and
 * links are pinned, so the rules stay in force when the daemon dies; the next start builds its own
 * generation and {@link #retirePrevious} then drops the old one. Closing releases everything,
 * pins included.
 *
 * <p>Kernel events reach {@code events} on the ring buffer thread {@code driftguard-bpf-events},
 * one at a time; the consumer must hand them on quickly (e.g. to the EventDispatcher) and must not
 * close the enforcer from there. Isolation events arrive on the thread that called
 * {@link ContainerBpf#isolate} or {@link ContainerBpf#release}, so the consumer must be
 * thread-safe. Rules with action ISOLATE isolate their container on the ring buffer thread right
 * after their event. All methods are thread-safe.
 */
public final class BpfEnforcer implements CgroupEnforcer, AutoCloseable {
    private static final Log LOG = Log.of(BpfEnforcer.class);
    private static final String OBJECT = "/io/driftguard/daemon/bpf/driftguard.bpf.o";
    private static final List<String> GLOBAL_PROGRAMS = List.of("dg_sys_enter", "dg_exec", "dg_cgroup_mkdir", "dg_cgroup_rmdir");
    /** Template rule ids: above every cgroup id (the rule id of an attached container). */
    private static final long FIRST_TEMPLATE_RULES_ID = 1L << 62;
    private static final long SWEEP_INTERVAL_NS = 2_000_000_000L;

    /** The maps of the loaded object that rule installation writes. */
    record Maps(BpfMap containers, BpfMap cidr4, BpfMap cidr6, BpfMap ports, BpfMap names, BpfMap templates, BpfMap fallback) {
    }

    /** The rules a container not started yet will get, written to dg_templates under its id. */
    private static final int RECENTLY_RELEASED = 1024;

    private record Released(ContainerInfo container, ContainerRules rules) {
    }

    private record Template(ContainerInfo container, ContainerRules rules, RuleTables tables, DriftguardH.dg_template_key key) {
    }

    private final Consumer<BpfEvent> events;
    private final BpfProbe probe;
    private final BpfObject object;
    private final Maps maps;
    private final SyscallTable syscalls = SyscallTable.load();
    private final EventDecoder decoder = new EventDecoder(syscalls);
    private final List<BpfLink> globalLinks = new ArrayList<>();
    private final Map<Long, ContainerBpf> containers = new ConcurrentHashMap<>();
    /** By container id; guarded by this. */
    private final Map<ContainerId, Template> templates = new java.util.HashMap<>();
    /** The same templates by rules id, read by the event thread. */
    private final Map<Long, Template> templatesByRules = new ConcurrentHashMap<>();
    /**
     * Rules released lately (a template Docker's destroy removed, a handle closed on the container's
     * die), by rules id: the ring buffer thread can be behind, and a kill of a container that
     * ended at once (a shell killed as its command) must still be reported.
     */
    private final Map<Long, Released> released = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Released> eldest) {
            return size() > RECENTLY_RELEASED;
        }
    });
    private long nextTemplateRulesId = FIRST_TEMPLATE_RULES_ID;
    /** dg_fallback's tables; guarded by this. */
    private RuleTables fallback;
    /** Null until {@link #onHold}; guarded by {@link #heldEarly}. */
    private Consumer<BpfEvent.Held> holds;
    /**
     * Holds reported before a handler was set: the previous run's pinned programs may have held
     * execs while no daemon ran, and their records come in as soon as the ring buffers are read.
     */
    private final List<BpfEvent.Held> heldEarly = new ArrayList<>();
    private final BpfMap untemplated;
    /** Only touched by the ring buffer thread. */
    private long untemplatedSeen;
    private RingBufferPoller poller;
    /** Null when nothing is pinned (no pin folder asked for, or bpffs refused). */
    private BpfPins pins;
    private String pinError;
    /** Ring buffers of earlier generations, drained by the poller. */
    private final List<BpfMap> earlierRings = new ArrayList<>();
    /** Only touched by the ring buffer thread. */
    private long nextSweep;

    private BpfEnforcer(Consumer<BpfEvent> events, BpfProbe probe, BpfObject object) {
        this.events = events;
        this.probe = probe;
        this.object = object;
        this.maps = new Maps(object.map("dg_containers"), object.map("dg_cidr4"), object.map("dg_cidr6"),
                object.map("dg_ports"), object.map("dg_names"), object.map("dg_templates"),
                object.map("dg_fallback"));
        this.untemplated = object.map("dg_untemplated");
    }

    /** As {@link #open(Consumer, Path)} with nothing pinned: every rule goes with this process. */
    public static BpfEnforcer open(Consumer<BpfEvent> events) throws BpfException {
        return open(events, null);
    }

    /**
     * Probes the kernel, loads the programs and starts the event thread. Needs root (CAP_BPF,
     * CAP_PERFMON, CAP_NET_ADMIN); throws IllegalStateException when libbpf.so.1 is missing.
     * With {@code pinInstance} (see {@link BpfPins#instanceFor}) maps and links are pinned there;
     * where bpffs refuses, the rules still hold while the daemon runs and {@link #pinError} says why
     * they will not outlive it.
     */
    public static BpfEnforcer open(Consumer<BpfEvent> events, Path pinInstance) throws BpfException {
        try {
            LibBpfLog.install();
        } catch (LinkageError e) {
            throw new IllegalStateException("libbpf.so.1 cannot be loaded (Debian: apt-get install libbpf1): " + e, e);
        }
        BpfProbe probe = BpfProbe.ofThisKernel();
        BpfObject object = BpfObject.load(OBJECT, null);
        BpfEnforcer enforcer = new BpfEnforcer(events, probe, object);
        try {
            if (pinInstance != null) {
                enforcer.pin(pinInstance);
            }
            for (String program : GLOBAL_PROGRAMS) {
                BpfLink link = object.attach(program);
                enforcer.globalLinks.add(link);
                if (enforcer.pins != null) {
                    link.pin(enforcer.pins.global(program));
                }
            }
            enforcer.poller = new RingBufferPoller(object.map("dg_events"), enforcer.earlierRings, object.map("dg_lost"),
                    enforcer::onRecord, enforcer::emit, enforcer::afterPoll);
            return enforcer;
        } catch (BpfException | RuntimeException e) {
            enforcer.close();
            throw e;
        }
    }

    /** Pins the maps and opens the ring buffers of earlier runs; a failure leaves the rules unpinned. */
    private void pin(Path instance) {
        try {
            BpfPins fresh = BpfPins.create(instance);
            object.pinMaps(fresh.maps());
            for (Path ring : fresh.previousRingBuffers()) {
                earlierRings.add(BpfMap.openPinned(ring));
            }
            pins = fresh;
            LOG.info("eBPF maps and links pinned in " + fresh + (fresh.hasPrevious() ? "; the previous run's rules stay until this one is ready" : ""));
        } catch (IOException e) {
            pinError = e.getMessage();
            LOG.error("eBPF rules cannot be pinned in " + instance + ", so they will not outlive this daemon: " + pinError);
        }
    }

    /** Why the rules are not pinned, or null when they are. */
    public String pinError() {
        return pins == null ? (pinError == null ? "no pin folder" : pinError) : null;
    }

    /** The pin folder of this run, or null. */
    public String pinned() {
        return pins == null ? null : pins.toString();
    }

    /**
     * Drops the rules that earlier runs pinned: called once this run has attached to every
     * container, so that no container is without eBPF rules in between.
     */
    public synchronized void retirePrevious() {
        if (pins != null) {
            pins.retirePrevious();
        }
    }

    /**
     * Enforces {@code rules} on the container whose cgroup v2 directory is {@code cgroupDir} (see
     * {@link CgroupPaths#cgroupDirOf}). Invalid rules (unknown syscall, too many network rules)
     * throw IllegalArgumentException before anything is installed; a kernel failure undoes what
     * was installed and throws BpfException; a cgroup directory that is gone (the container
     * stopped meanwhile) throws NoSuchFileException.
     */
    @Override
    public synchronized ContainerBpf attach(ContainerInfo container, Path cgroupDir, ContainerRules rules) throws IOException {
        long cgroupId = CgroupPaths.cgroupId(cgroupDir);
        if (containers.containsKey(cgroupId)) {
            throw new IllegalStateException("cgroup " + cgroupDir + " already has eBPF rules (container "
                    + containers.get(cgroupId).container().name() + ")");
        }
        ContainerBpf handle = new ContainerBpf(this, container, cgroupDir, cgroupId, rules, new RuleTables(cgroupId, rules, syscalls));
        containers.put(cgroupId, handle);
        try {
            handle.install(maps);
        } catch (BpfException | RuntimeException e) {
            handle.close();
            throw e;
        }
        if (pins != null && pins.wasIsolated(cgroupId)) {
            handle.isolate("isolated before the daemon restarted, not released since");
        }
        return handle;
    }

    /**
     * Gives the container {@code container.id()}, which has no cgroup yet,
     * its rules from the moment its cgroup is made: the cgroup_mkdir program copies them to the
     * new cgroup, so that the container's first exec is judged in the kernel. {@code rules} null
     * records that no policy selects the container (so its cgroup is not counted as made
     * unannounced). Replaces an earlier template of the same container; network rules wait for
     * {@link #attach}.
     */
    @Override
    public synchronized void prepare(ContainerInfo container, ContainerRules rules) throws BpfException {
        DriftguardH.dg_template_key key = templateKey(container.id());
        ContainerRules kernelRules = rules == null ? ContainerRules.none() : rules.withoutNetwork();
        Template old = templates.get(container.id());
        if (old != null && old.container().equals(container) && old.rules().equals(kernelRules)
                && (rules != null) == (old.tables().container.selected == 1)) {
            return;
        }
        RuleTables tables = new RuleTables(0, nextTemplateRulesId++, kernelRules, syscalls);
        if (rules == null) {
            tables.unselected();
        }
        Template fresh = new Template(container, kernelRules, tables, key);
        tables.writeTemplate(maps, key);
        templates.put(container.id(), fresh);
        templatesByRules.put(tables.rulesId, fresh);
        if (old != null) {
            old.tables().deleteEntries(maps, null);
            retire(old);
        }
    }

    /**
     * The rules for a container cgroup made before its container was prepared: every name and
     * drift rule of {@code union} (all policies) stops the exec with SIGSTOP instead of deciding,
     * and {@code holds} (see {@link #onHold}) decides. Replaces the previous set.
     */
    @Override
    public synchronized void holdUnknown(ContainerRules union) throws BpfException {
        RuleTables tables = new RuleTables(0, nextTemplateRulesId++, union.withoutNetwork(), syscalls);
        tables.holding();
        tables.writeFallback(maps);
        if (fallback != null) {
            fallback.deleteEntries(maps, null);
        }
        fallback = tables;
    }

    /**
     * Who decides a held exec ({@link BpfEvent.Held}), on the ring buffer thread: it must hand the
     * work on at once and, for every held process, end with a SIGKILL or SIGCONT. Holds reported
     * before it is set are handed to it then.
     */
    @Override
    public void onHold(Consumer<BpfEvent.Held> handler) {
        List<BpfEvent.Held> early;
        synchronized (heldEarly) {
            holds = handler;
            early = List.copyOf(heldEarly);
            heldEarly.clear();
        }
        early.forEach(this::decideHeld);
    }

    /**
     * Gives the cgroup {@code cgroupId}, made before its container {@code containerId} was
     * prepared, the container's own rules from its template (or none, when no policy selects it);
     * an attached handle of the cgroup is left alone.
     */
    @Override
    public synchronized void adopt(long cgroupId, ContainerId containerId) throws BpfException {
        if (containers.containsKey(cgroupId)) {
            return;
        }
        Template template = templates.get(containerId);
        if (template != null && template.tables().container.selected == 1) {
            template.tables().writeContainerFor(maps, cgroupId);
        } else {
            maps.containers().delete(cgroupId);
        }
    }

    /** Forgets the template of a container Docker removed; nothing when there is none. */
    @Override
    public synchronized void unprepare(ContainerId containerId) throws BpfException {
        Template old = templates.remove(containerId);
        if (old != null) {
            old.tables().deleteTemplate(maps, old.key());
            retire(old);
        }
    }

    private void retire(Template old) {
        released.put(old.tables().rulesId, new Released(old.container(), old.rules()));
        templatesByRules.remove(old.tables().rulesId);
    }

    private static DriftguardH.dg_template_key templateKey(ContainerId containerId) {
        byte[] id = containerId.hex().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        DriftguardH.dg_template_key key = new DriftguardH.dg_template_key();
        System.arraycopy(id, 0, key.id, 0, id.length);
        return key;
    }

    @Override
    public BpfProbe probe() {
        return probe;
    }

    /** Kernel events lost to a full ring buffer since start (each loss is also reported as a {@link BpfEvent.Lost}). */
    public long lostEvents() throws BpfException {
        return poller.lostTotal();
    }

    /**
     * Closes every container handle, detaches the global programs, unloads the object and removes
     * every pin of this daemon (earlier runs' too): a clean stop leaves nothing in force.
     */
    @Override
    public void close() {
        if (poller != null) {
            poller.close();
        }
        synchronized (heldEarly) {
            heldEarly.forEach(held -> io.driftguard.daemon.kernel.Processes.resume(held.process().pid())); // never decided
            heldEarly.clear();
        }
        synchronized (this) {
            new ArrayList<>(containers.values()).forEach(ContainerBpf::close);
            globalLinks.forEach(BpfLink::close);
            globalLinks.clear();
            object.close();
            earlierRings.forEach(ring -> io.driftguard.daemon.kernel.RootedOpen.close(ring.fd()));
            if (pins != null) {
                pins.removeAll();
            }
        }
    }

    synchronized List<BpfLink> attachCgroup(List<String> programs, Path cgroupDir, long cgroupId) throws BpfException {
        List<BpfLink> links = new ArrayList<>();
        try (CgroupFd fd = new CgroupFd(cgroupDir)) {
            for (String program : programs) {
                BpfLink link = object.attachCgroup(program, fd.fd, cgroupDir.toString());
                links.add(link);
                Path pin = pins == null ? null : pins.cgroup(cgroupId, program);
                if (pin != null) {
                    link.pin(pin);
                }
            }
            return links;
        } catch (BpfException | RuntimeException e) {
            links.forEach(BpfLink::close);
            throw e;
        }
    }

    /** Removes the pin folder of a released container's cgroup. */
    void forgetPins(long cgroupId) {
        if (pins != null) {
            pins.forgetCgroup(cgroupId);
        }
    }

    Maps maps() {
        return maps;
    }

    SyscallTable syscalls() {
        return syscalls;
    }

    void forget(ContainerBpf handle) {
        released.put(handle.cgroupId(), new Released(handle.container(), handle.rules()));
        containers.remove(handle.cgroupId(), handle);
    }

    void emit(BpfEvent event) {
        try {
            events.accept(event);
        } catch (RuntimeException e) {
            LOG.error("the BPF event consumer failed: " + e);
        }
    }

    private void onRecord(DriftguardH.dg_event record) {
        if (record.verdict == DriftguardH.DG_VERDICT_HOLD) {
            BpfEvent.Held held = decoder.held(record);
            synchronized (heldEarly) {
                if (holds == null) {
                    heldEarly.add(held);
                    return;
                }
            }
            decideHeld(held);
            return;
        }
        Template template = templatesByRules.get(record.rules_id);
        ContainerBpf handle = containers.get(record.cgroup_id);
        if (template != null) {
            BpfEvent event = decoder.decode(record, template.container(), template.rules());
            if (event != null) {
                emit(event); // the container was not attached yet: its isolation waits for the attach
            }
            return;
        }
        if (handle == null) {
            Released gone = released.get(record.rules_id);
            gone = gone != null ? gone : released.get(record.cgroup_id);
            BpfEvent event = gone == null ? null : decoder.decode(record, gone.container(), gone.rules());
            if (event != null) {
                emit(event); // released between the kernel's decision and now: reported, nothing to isolate
            }
            return;
        }
        BpfEvent event = decoder.decode(record, handle.container(), handle.rules());
        if (event == null) {
            LOG.warn("a kernel event of kind " + record.kind + " for container " + handle.container().name()
                    + " names no rule of it; dropped");
            return;
        }
        emit(event);
        String isolatingRule = isolatingRule(event);
        if (isolatingRule != null) {
            try {
                handle.isolate(isolatingRule);
            } catch (BpfException e) {
                LOG.error("isolating container " + handle.container().name() + " failed: " + e.getMessage());
            }
        }
    }

    private void decideHeld(BpfEvent.Held held) {
        Consumer<BpfEvent.Held> handler;
        synchronized (heldEarly) {
            handler = holds;
        }
        try {
            handler.accept(held);
        } catch (RuntimeException e) {
            LOG.error("deciding a held exec failed, resuming pid " + held.process().pid() + ": " + e);
            io.driftguard.daemon.kernel.Processes.resume(held.process().pid());
        }
    }

    /**
     * A safety net for a missed container stop: a container whose cgroup directory is gone has its
     * handle closed (links destroyed, map entries deleted) within a few seconds.
     */
    private void afterPoll() {
        reportUntemplated();
        releaseVanishedContainers();
    }

    /** Container cgroups made while no template was there: their first execs waited for the attach. */
    private void reportUntemplated() {
        try {
            long total = untemplated.getLong(0);
            if (total > untemplatedSeen) {
                emit(new BpfEvent.Untemplated(total - untemplatedSeen, total));
                untemplatedSeen = total;
            }
        } catch (BpfException e) {
            LOG.warn("reading dg_untemplated: " + e.getMessage());
        }
    }

    private void releaseVanishedContainers() {
        long now = System.nanoTime();
        if (now - nextSweep < 0) {
            return;
        }
        nextSweep = now + SWEEP_INTERVAL_NS;
        for (ContainerBpf handle : List.copyOf(containers.values())) {
            if (!Files.isDirectory(handle.cgroupDir())) {
                LOG.info("container " + handle.container().name() + " is gone (cgroup " + handle.cgroupDir() + "): its eBPF rules are released");
                handle.close();
            }
        }
    }

    /** "rule R of policy P" when the deciding rule's action is ISOLATE, else null. */
    private static String isolatingRule(BpfEvent event) {
        if (event instanceof BpfEvent.Network n && n.rule().action() == KernelAction.ISOLATE) {
            return "rule " + n.rule().rule() + " of policy " + n.rule().policy();
        }
        if (event instanceof BpfEvent.Syscall s && s.rule().action() == KernelAction.ISOLATE) {
            return "rule " + s.rule().rule() + " of policy " + s.rule().policy();
        }
        if (event instanceof BpfEvent.Exec x && x.rule().action() == KernelAction.ISOLATE) {
            return "rule " + x.rule().rule() + " of policy " + x.rule().policy();
        }
        return null;
    }
}
