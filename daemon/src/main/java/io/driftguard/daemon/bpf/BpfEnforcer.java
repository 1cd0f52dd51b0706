package io.driftguard.daemon.bpf;

import io.driftguard.core.log.Log;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.policy.SyscallTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * driftguard's eBPF side: loads driftguard.bpf.o once, attaches the syscall and exec programs
 * globally (they filter by cgroup id in the kernel), and attaches the network programs to each
 * container's cgroup through {@link #attach}. Nothing is pinned: closing releases everything.
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
    private static final List<String> GLOBAL_PROGRAMS = List.of("dg_sys_enter", "dg_exec");
    private static final long SWEEP_INTERVAL_NS = 2_000_000_000L;

    /** The maps of the loaded object that rule installation writes. */
    record Maps(BpfMap containers, BpfMap cidr4, BpfMap cidr6, BpfMap ports, BpfMap names) {
    }

    private final Consumer<BpfEvent> events;
    private final BpfProbe probe;
    private final BpfObject object;
    private final Maps maps;
    private final SyscallTable syscalls = SyscallTable.load();
    private final EventDecoder decoder = new EventDecoder(syscalls);
    private final List<BpfLink> globalLinks = new ArrayList<>();
    private final Map<Long, ContainerBpf> containers = new ConcurrentHashMap<>();
    private RingBufferPoller poller;
    /** Only touched by the ring buffer thread. */
    private long nextSweep;

    private BpfEnforcer(Consumer<BpfEvent> events, BpfProbe probe, BpfObject object) {
        this.events = events;
        this.probe = probe;
        this.object = object;
        this.maps = new Maps(object.map("dg_containers"), object.map("dg_cidr4"), object.map("dg_cidr6"),
                object.map("dg_ports"), object.map("dg_names"));
    }

    /**
     * Probes the kernel, loads the programs and starts the event thread. Needs root (CAP_BPF,
     * CAP_PERFMON, CAP_NET_ADMIN); throws IllegalStateException when libbpf.so.1 is missing.
     */
    public static BpfEnforcer open(Consumer<BpfEvent> events) throws BpfException {
        try {
            LibBpfLog.install();
        } catch (LinkageError e) {
            throw new IllegalStateException("libbpf.so.1 cannot be loaded (Debian: apt-get install libbpf1): " + e, e);
        }
        BpfProbe probe = BpfProbe.ofThisKernel();
        BpfObject object = BpfObject.load(OBJECT, null);
        BpfEnforcer enforcer = new BpfEnforcer(events, probe, object);
        try {
            for (String program : GLOBAL_PROGRAMS) {
                enforcer.globalLinks.add(object.attach(program));
            }
            enforcer.poller = new RingBufferPoller(object.map("dg_events"), object.map("dg_lost"), enforcer::onRecord, enforcer::emit,
                    enforcer::releaseVanishedContainers);
            return enforcer;
        } catch (BpfException | RuntimeException e) {
            enforcer.close();
            throw e;
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
        return handle;
    }

    @Override
    public BpfProbe probe() {
        return probe;
    }

    /** Kernel events lost to a full ring buffer since start (each loss is also reported as a {@link BpfEvent.Lost}). */
    public long lostEvents() throws BpfException {
        return poller.lostTotal();
    }

    /** Closes every container handle, detaches the global programs and unloads the object. */
    @Override
    public void close() {
        if (poller != null) {
            poller.close();
        }
        synchronized (this) {
            new ArrayList<>(containers.values()).forEach(ContainerBpf::close);
            globalLinks.forEach(BpfLink::close);
            globalLinks.clear();
            object.close();
        }
    }

    synchronized List<BpfLink> attachCgroup(List<String> programs, Path cgroupDir) throws BpfException {
        List<BpfLink> links = new ArrayList<>();
        try (CgroupFd fd = new CgroupFd(cgroupDir)) {
            for (String program : programs) {
                links.add(object.attachCgroup(program, fd.fd, cgroupDir.toString()));
            }
            return links;
        } catch (BpfException | RuntimeException e) {
            links.forEach(BpfLink::close);
            throw e;
        }
    }

    Maps maps() {
        return maps;
    }

    SyscallTable syscalls() {
        return syscalls;
    }

    void forget(ContainerBpf handle) {
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
        ContainerBpf handle = containers.get(record.cgroup_id);
        if (handle == null) {
            return; // released between the kernel's decision and now
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

    /**
     * A safety net for a missed container stop: a container whose cgroup directory is gone has its
     * handle closed (links destroyed, map entries deleted) within a few seconds.
     */
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
