package io.driftguard.daemon.bpf;

import io.driftguard.core.event.EventAction;
import io.driftguard.core.log.Log;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The eBPF enforcement of one container: its map entries and cgroup links, installed and released
 * as a unit. Close it when the container stops (its cgroup goes away, but links and map entries
 * would stay until closed). Thread-safe: every change goes through the enforcer's lock.
 */
public final class ContainerBpf implements AutoCloseable {
    private static final Log LOG = Log.of(ContainerBpf.class);
    private static final List<String> NETWORK_PROGRAMS = List.of("dg_connect4", "dg_connect6", "dg_sendmsg4", "dg_sendmsg6");
    private static final List<String> ISOLATION_PROGRAMS = List.of("dg_isolate_egress", "dg_isolate_ingress");

    private final BpfEnforcer enforcer;
    private final ContainerRef container;
    private final Path cgroupDir;
    private final long cgroupId;
    private final ContainerRules rules;
    private final RuleTables tables;
    private final List<BpfLink> links = new ArrayList<>();
    private final List<BpfLink> isolation = new ArrayList<>();
    private boolean closed;

    ContainerBpf(BpfEnforcer enforcer, ContainerRef container, Path cgroupDir, long cgroupId, ContainerRules rules, RuleTables tables) {
        this.enforcer = enforcer;
        this.container = container;
        this.cgroupDir = cgroupDir;
        this.cgroupId = cgroupId;
        this.rules = rules;
        this.tables = tables;
    }

    /** Writes the map entries, the container's own entry last (the programs look it up first). */
    void install(BpfEnforcer.Maps maps) throws BpfException {
        for (var e : tables.cidr4.entrySet()) {
            maps.cidr4().put(e.getKey(), e.getValue());
        }
        for (var e : tables.cidr6.entrySet()) {
            maps.cidr6().put(e.getKey(), e.getValue());
        }
        for (var e : tables.ports.entrySet()) {
            maps.ports().put(e.getKey(), e.getValue());
        }
        for (var e : tables.names.entrySet()) {
            maps.names().put(e.getKey(), e.getValue());
        }
        maps.containers().put(cgroupId, tables.container);
        if (!rules.network().isEmpty()) {
            links.addAll(enforcer.attachCgroup(NETWORK_PROGRAMS, cgroupDir));
        }
    }

    public ContainerRef container() {
        return container;
    }

    public Path cgroupDir() {
        return cgroupDir;
    }

    public long cgroupId() {
        return cgroupId;
    }

    public ContainerRules rules() {
        return rules;
    }

    /** Drops every packet the container sends or receives until {@link #release}; an ISOLATED event follows. */
    public void isolate(String reason) throws BpfException {
        synchronized (enforcer) {
            if (closed || !isolation.isEmpty()) {
                return;
            }
            isolation.addAll(enforcer.attachCgroup(ISOLATION_PROGRAMS, cgroupDir));
        }
        enforcer.emit(new BpfEvent.Isolation(container, EventAction.ISOLATED, reason));
    }

    /** Lifts {@link #isolate}; a RELEASED event follows. Releasing a container that is not isolated does nothing. */
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

    public boolean isolated() {
        synchronized (enforcer) {
            return !isolation.isEmpty();
        }
    }

    /** Each rule with the mechanism that enforces it on this kernel. */
    public List<RuleMechanism> mechanisms() {
        BpfProbe probe = enforcer.probe();
        List<RuleMechanism> out = new ArrayList<>();
        rules.network().forEach(r -> out.add(new RuleMechanism(r.policy(), r.rule(), RuleKind.NETWORK, r.action(),
                probe.mechanismFor(RuleKind.NETWORK, r.action()))));
        rules.syscalls().forEach(r -> out.add(new RuleMechanism(r.policy(), r.rule(), RuleKind.SYSCALL, r.action(),
                probe.mechanismFor(RuleKind.SYSCALL, r.action()))));
        rules.processNames().forEach(r -> out.add(new RuleMechanism(r.policy(), r.rule(), RuleKind.PROCESS_NAME, r.action(),
                probe.mechanismFor(RuleKind.PROCESS_NAME, r.action()))));
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
            BpfEnforcer.Maps maps = enforcer.maps();
            try {
                maps.containers().delete(cgroupId);
                for (var key : tables.cidr4.keySet()) {
                    maps.cidr4().delete(key);
                }
                for (var key : tables.cidr6.keySet()) {
                    maps.cidr6().delete(key);
                }
                for (var key : tables.ports.keySet()) {
                    maps.ports().delete(key);
                }
                for (var key : tables.names.keySet()) {
                    maps.names().delete(key);
                }
            } catch (BpfException e) {
                LOG.error("releasing the BPF map entries of container " + container.name() + ": " + e.getMessage());
            }
            enforcer.forget(this);
        }
    }
}
