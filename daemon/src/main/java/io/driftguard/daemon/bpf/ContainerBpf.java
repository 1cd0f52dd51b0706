package io.driftguard.daemon.bpf;

import io.driftguard.core.event.EventAction;
import io.driftguard.core.log.Log;
import io.driftguard.daemon.docker.ContainerInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The eBPF enforcement of one container: its map entries and cgroup links, installed and released
 * as a unit. Close it when the container stops: its cgroup goes away, but links and map entries
 * stay until closed (the enforcer closes handles whose cgroup has vanished within a few seconds,
 * as a safety net). Thread-safe: every change goes through the enforcer's lock.
 */
public final class ContainerBpf implements ContainerHandle {
    private static final Log LOG = Log.of(ContainerBpf.class);
    private static final List<String> NETWORK_PROGRAMS = List.of("dg_connect4", "dg_connect6", "dg_sendmsg4", "dg_sendmsg6");
    private static final List<String> ISOLATION_PROGRAMS = List.of("dg_isolate_egress", "dg_isolate_ingress");

    private final BpfEnforcer enforcer;
    private final ContainerInfo container;
    private final Path cgroupDir;
    private final long cgroupId;
    /** Replaced as a whole under the enforcer's lock; read by the event thread. */
    private volatile ContainerRules rules;
    private RuleTables tables;
    private final List<BpfLink> links = new ArrayList<>();
    private final List<BpfLink> isolation = new ArrayList<>();
    private boolean closed;

    ContainerBpf(BpfEnforcer enforcer, ContainerInfo container, Path cgroupDir, long cgroupId, ContainerRules rules, RuleTables tables) {
        this.enforcer = enforcer;
        this.container = container;
        this.cgroupDir = cgroupDir;
        this.cgroupId = cgroupId;
        this.rules = rules;
        this.tables = tables;
    }

    void install(BpfEnforcer.Maps maps) throws BpfException {
        tables.write(maps);
        attachNetworkIfNeeded();
    }

    /**
     * Replaces the rules (a policy reload) without detaching anything: the new entries are written
     * first, then the stale ones deleted, so the container is never without rules; for those
     * microseconds a connect may be judged by a mix of old and new entries. Invalid rules throw
     * IllegalArgumentException and change nothing.
     */
    @Override
    public void replaceRules(ContainerRules newRules) throws BpfException {
        synchronized (enforcer) {
            if (closed) {
                throw new IllegalStateException("eBPF rules of container " + container.name() + " were released");
            }
            RuleTables next = new RuleTables(cgroupId, newRules, enforcer.syscalls());
            next.write(enforcer.maps());
            tables.delete(enforcer.maps(), next);
            tables = next;
            rules = newRules;
            attachNetworkIfNeeded();
        }
    }

    /** Network programs are attached once the container has network rules, and stay until close. */
    private void attachNetworkIfNeeded() throws BpfException {
        if (links.isEmpty() && !rules.network().isEmpty()) {
            links.addAll(enforcer.attachCgroup(NETWORK_PROGRAMS, cgroupDir, cgroupId));
        }
    }

    public ContainerInfo container() {
        return container;
    }

    public Path cgroupDir() {
        return cgroupDir;
    }

    public long cgroupId() {
        return cgroupId;
    }

    @Override
    public ContainerRules rules() {
        return rules;
    }

    /** Drops every packet the container sends or receives until {@link #release}; an ISOLATED event follows. */
    @Override
    public void isolate(String reason) throws BpfException {
        synchronized (enforcer) {
            if (closed || !isolation.isEmpty()) {
                return;
            }
            isolation.addAll(enforcer.attachCgroup(ISOLATION_PROGRAMS, cgroupDir, cgroupId));
        }
        enforcer.emit(new BpfEvent.Isolation(container, EventAction.ISOLATED, reason));
    }

    /** Lifts {@link #isolate}; a RELEASED event follows. Releasing a container that is not isolated does nothing. */
    @Override
    public void release(String reason) {
        synchronized (enforcer) {
            if (isolation.isEmpty()) {
                return;
            }
            isolation.forEach(BpfLink::close);
            isolation.clear();
        }
        enforcer.emit(new BpfEvent.Isolation(container, EventAction.RELEASED, reason));
    }

    @Override
    public boolean isolated() {
        synchronized (enforcer) {
            return !isolation.isEmpty();
        }
    }

    /** Each rule with the mechanism that enforces it on this kernel. */
    @Override
    public List<RuleMechanism> mechanisms() {
        BpfProbe probe = enforcer.probe();
        List<RuleMechanism> out = new ArrayList<>();
        rules.network().forEach(r -> out.add(new RuleMechanism(r.policy(), r.rule(), RuleKind.NETWORK, r.action(),
                probe.mechanismFor(RuleKind.NETWORK, r.action()))));
        rules.syscalls().forEach(r -> out.add(new RuleMechanism(r.policy(), r.rule(), RuleKind.SYSCALL, r.action(),
                probe.mechanismFor(RuleKind.SYSCALL, r.action()))));
        rules.processNames().forEach(r -> out.add(new RuleMechanism(r.policy(), r.rule(), RuleKind.PROCESS_NAME, r.action(),
                probe.mechanismFor(RuleKind.PROCESS_NAME, r.action()))));
        rules.drift().forEach(r -> out.add(new RuleMechanism(r.policy(), DriftRule.RULE, RuleKind.DRIFT, r.action(),
                probe.mechanismFor(RuleKind.DRIFT, r.action()))));
        return out;
    }

    /** Detaches every link (isolation included, without an event) and deletes the map entries. */
    @Override
    public void close() {
        synchronized (enforcer) {
            if (closed) {
                return;
            }
            closed = true;
            links.forEach(BpfLink::close);
            links.clear();
            isolation.forEach(BpfLink::close);
            isolation.clear();
            enforcer.forgetPins(cgroupId);
            try {
                tables.delete(enforcer.maps(), null);
            } catch (BpfException e) {
                LOG.error("releasing the BPF map entries of container " + container.name() + ": " + e.getMessage());
            }
            enforcer.forget(this);
        }
    }
}
