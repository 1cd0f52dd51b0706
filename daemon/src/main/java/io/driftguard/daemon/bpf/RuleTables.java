package io.driftguard.daemon.bpf;

import com.sun.jna.Structure;
import io.driftguard.daemon.policy.Cidr;
import io.driftguard.daemon.policy.Protocol;
import io.driftguard.daemon.policy.SyscallTable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One container's rules as BPF map entries (pure: no kernel calls). Network rule i is bit i of
 * every rule mask. The LPM tries return only the longest matching prefix, so each prefix's value
 * holds every rule with a CIDR containing it and no except CIDR containing it; with the except
 * CIDRs stored as prefixes too, the longest match then names exactly the rules that match.
 */
final class RuleTables {
    final long cgroupId;
    /** Key of the name entries: the cgroup id for an attached container, a template's own id otherwise. */
    final long rulesId;
    final DriftguardH.dg_container container = new DriftguardH.dg_container();
    final Map<DriftguardH.dg_lpm4_key, Long> cidr4 = new LinkedHashMap<>();
    final Map<DriftguardH.dg_lpm6_key, Long> cidr6 = new LinkedHashMap<>();
    final Map<DriftguardH.dg_port_key, Long> ports = new LinkedHashMap<>();
    final Map<DriftguardH.dg_name_key, DriftguardH.dg_name_value> names = new LinkedHashMap<>();

    RuleTables(long cgroupId, ContainerRules rules, SyscallTable syscalls) {
        this(cgroupId, cgroupId, rules, syscalls);
    }

    RuleTables(long cgroupId, long rulesId, ContainerRules rules, SyscallTable syscalls) {
        this.cgroupId = cgroupId;
        this.rulesId = rulesId;
        container.rules_id = rulesId;
        container.selected = 1;
        addNetwork(rules.network());
        addSyscalls(rules.syscalls(), syscalls);
        addNames(rules.processNames());
        addDrift(rules.decidingDrift());
    }

    private void addDrift(DriftRule drift) {
        if (drift == null) {
            return;
        }
        container.drift_verdict = drift.action().enforces() ? DriftguardH.DG_VERDICT_ENFORCE : DriftguardH.DG_VERDICT_ALERT;
        container.dev_count = drift.devices().size();
        for (int i = 0; i < drift.devices().size(); i++) {
            container.devs[i] = drift.devices().get(i);
        }
    }

    private void addNetwork(List<KernelNetworkRule> rules) {
        Map<Integer, Long> portMasks = new LinkedHashMap<>();
        List<Cidr> prefixes = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            KernelNetworkRule rule = rules.get(i);
            long bit = 1L << i;
            if (rule.action().enforces()) {
                container.net_enforce |= bit;
            }
            if (rule.action() == KernelAction.ALLOW) {
                container.net_allow |= bit;
            }
            if (rule.ports().isEmpty()) {
                container.net_any_port |= bit;
            }
            rule.ports().forEach(port -> portMasks.merge(port, bit, (a, b) -> a | b));
            if (rule.protocols().isEmpty()) {
                container.net_any_proto |= bit;
            }
            if (rule.protocols().contains(Protocol.TCP)) {
                container.net_tcp |= bit;
            }
            if (rule.protocols().contains(Protocol.UDP)) {
                container.net_udp |= bit;
            }
            rule.cidrs().stream().filter(c -> !prefixes.contains(c)).forEach(prefixes::add);
            rule.except().stream().filter(c -> !prefixes.contains(c)).forEach(prefixes::add);
        }
        for (Cidr prefix : prefixes) {
            long mask = 0;
            for (int i = 0; i < rules.size(); i++) {
                KernelNetworkRule rule = rules.get(i);
                if (rule.cidrs().stream().anyMatch(c -> c.contains(prefix)) && rule.except().stream().noneMatch(c -> c.contains(prefix))) {
                    mask |= 1L << i;
                }
            }
            if (prefix.isIpv4()) {
                DriftguardH.dg_lpm4_key key = new DriftguardH.dg_lpm4_key();
                key.prefixlen = 64 + prefix.prefix();
                key.cgroup_id = cgroupIdBytes();
                key.addr = prefix.address().getAddress();
                cidr4.put(key, mask);
            } else {
                DriftguardH.dg_lpm6_key key = new DriftguardH.dg_lpm6_key();
                key.prefixlen = 64 + prefix.prefix();
                key.cgroup_id = cgroupIdBytes();
                key.addr = prefix.address().getAddress();
                cidr6.put(key, mask);
            }
        }
        portMasks.forEach((port, mask) -> {
            DriftguardH.dg_port_key key = new DriftguardH.dg_port_key();
            key.cgroup_id = cgroupId;
            key.port = (short) (int) port;
            ports.put(key, mask);
        });
    }

    private void addSyscalls(List<KernelSyscallRule> rules, SyscallTable table) {
        for (KernelSyscallRule rule : rules) {
            for (String name : rule.names()) {
                OptionalInt nr = table.number(name);
                if (nr.isEmpty() || nr.getAsInt() >= DriftguardH.DG_SYSCALL_WORDS * 64) {
                    throw new IllegalArgumentException("syscall rule " + rule.rule() + " of policy " + rule.policy()
                            + ": unknown syscall \"" + name + "\" on this architecture");
                }
                long[] words = rule.action().enforces() ? container.syscall_kill : container.syscall_alert;
                words[nr.getAsInt() >> 6] |= 1L << (nr.getAsInt() & 63);
            }
        }
    }

    /** A name listed by several rules is decided by the first that enforces, else by the first. */
    private void addNames(List<ProcessNameRule> rules) {
        Map<String, DriftguardH.dg_name_value> byName = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            ProcessNameRule rule = rules.get(i);
            DriftguardH.dg_name_value value = new DriftguardH.dg_name_value();
            value.verdict = rule.action().enforces() ? DriftguardH.DG_VERDICT_ENFORCE : DriftguardH.DG_VERDICT_ALERT;
            value.rule = i;
            for (String name : rule.names()) {
                DriftguardH.dg_name_value earlier = byName.get(name);
                if (earlier == null || (earlier.verdict == DriftguardH.DG_VERDICT_ALERT && value.verdict == DriftguardH.DG_VERDICT_ENFORCE)) {
                    byName.put(name, value);
                }
            }
        }
        byName.forEach((name, value) -> {
            DriftguardH.dg_name_key key = new DriftguardH.dg_name_key();
            key.rules_id = rulesId;
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(bytes, 0, key.name, 0, bytes.length);
            names.put(key, value);
        });
    }

    /** Writes every entry, the container's own last (the programs look it up first). */
    void write(BpfEnforcer.Maps maps) throws BpfException {
        writeRules(maps);
        maps.containers().put(cgroupId, container);
    }

    /** Writes the name entries, then the container's entry as dg_fallback's. */
    void writeFallback(BpfEnforcer.Maps maps) throws BpfException {
        writeRules(maps);
        maps.fallback().putAt(0, container);
    }

    /** Writes the container's entry (no others) for the cgroup {@code cgroupId}. */
    void writeContainerFor(BpfEnforcer.Maps maps, long cgroup) throws BpfException {
        maps.containers().put(cgroup, container);
    }

    /** Writes the name entries, then the container's entry as the template of the container {@code key}. */
    void writeTemplate(BpfEnforcer.Maps maps, DriftguardH.dg_template_key key) throws BpfException {
        writeRules(maps);
        maps.templates().put(key, container);
    }

    private void writeRules(BpfEnforcer.Maps maps) throws BpfException {
        for (var e : cidr4.entrySet()) {
            maps.cidr4().put(e.getKey(), e.getValue());
        }
        for (var e : cidr6.entrySet()) {
            maps.cidr6().put(e.getKey(), e.getValue());
        }
        for (var e : ports.entrySet()) {
            maps.ports().put(e.getKey(), e.getValue());
        }
        for (var e : names.entrySet()) {
            maps.names().put(e.getKey(), e.getValue());
        }
    }

    /**
     * Deletes the entries that {@code next} (the tables replacing these) does not have; all of
     * them, the container's own first, when {@code next} is null.
     */
    void delete(BpfEnforcer.Maps maps, RuleTables next) throws BpfException {
        if (next == null) {
            maps.containers().delete(cgroupId);
        }
        deleteEntries(maps, next);
    }

    /** Deletes the template of container {@code key} first, then its name entries. */
    void deleteTemplate(BpfEnforcer.Maps maps, DriftguardH.dg_template_key key) throws BpfException {
        maps.templates().delete(key);
        deleteEntries(maps, null);
    }

    /**
     * Turns every name and drift verdict into DG_VERDICT_HOLD and drops the syscall rules: the
     * rules of a cgroup made before the daemon knew its container (dg_fallback).
     */
    void holding() {
        names.values().forEach(v -> v.verdict = DriftguardH.DG_VERDICT_HOLD);
        if (container.drift_verdict != 0) {
            container.drift_verdict = DriftguardH.DG_VERDICT_HOLD;
        }
        java.util.Arrays.fill(container.syscall_kill, 0);
        java.util.Arrays.fill(container.syscall_alert, 0);
        container.selected = names.isEmpty() && container.drift_verdict == 0 ? 0 : 1;
    }

    /** Marks a template as a container that no policy selects: its cgroup gets no entry. */
    void unselected() {
        container.selected = 0;
    }

    void deleteEntries(BpfEnforcer.Maps maps, RuleTables next) throws BpfException {
        deleteStale(maps.cidr4(), cidr4.keySet(), next == null ? Set.of() : next.cidr4.keySet());
        deleteStale(maps.cidr6(), cidr6.keySet(), next == null ? Set.of() : next.cidr6.keySet());
        deleteStale(maps.ports(), ports.keySet(), next == null ? Set.of() : next.ports.keySet());
        deleteStale(maps.names(), names.keySet(), next == null ? Set.of() : next.names.keySet());
    }

    private static void deleteStale(BpfMap map, Set<? extends Structure> keys, Set<? extends Structure> keep) throws BpfException {
        Set<ByteBuffer> kept = new HashSet<>();
        keep.forEach(k -> kept.add(bytes(k)));
        for (Structure key : keys) {
            if (!kept.contains(bytes(key))) {
                map.delete(key);
            }
        }
    }

    /** A key's bytes as the kernel compares them. */
    private static ByteBuffer bytes(Structure key) {
        key.write();
        return ByteBuffer.wrap(key.getPointer().getByteArray(0, key.size()));
    }

    private byte[] cgroupIdBytes() {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(cgroupId).array();
    }
}
