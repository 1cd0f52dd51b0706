package io.driftguard.daemon.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.daemon.policy.Cidr;
import io.driftguard.daemon.policy.Protocol;
import io.driftguard.daemon.policy.SyscallTable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RuleTablesTest {
    private static final SyscallTable SYSCALLS = SyscallTable.load();

    private static KernelNetworkRule rule(String name, KernelAction action, Set<Integer> ports, Set<Protocol> protocols, String... cidrs) {
        return new KernelNetworkRule("P", name, action, List.of(cidrs).stream().map(Cidr::parse).toList(), List.of(), ports, protocols);
    }

    private static Map<String, Long> v4Masks(RuleTables t) {
        return t.cidr4.entrySet().stream().collect(Collectors.toMap(
                e -> (e.getKey().prefixlen - 64) + ":" + Byte.toUnsignedInt(e.getKey().addr[0]) + "." + Byte.toUnsignedInt(e.getKey().addr[1]),
                Map.Entry::getValue));
    }

    @Test
    void aLongerPrefixCarriesTheRulesOfEveryShorterPrefixContainingIt() {
        RuleTables t = new RuleTables(7, new ContainerRules(List.of(
                rule("wide", KernelAction.ALERT, Set.of(), Set.of(), "10.0.0.0/8"),
                rule("narrow", KernelAction.BLOCK, Set.of(), Set.of(), "10.1.0.0/16"),
                rule("other", KernelAction.BLOCK, Set.of(), Set.of(), "192.168.0.0/16")), List.of(), List.of()), SYSCALLS);

        // 10.1.2.3 hits the /16 entry, which must still name "wide" (bit 0)
        assertThat(v4Masks(t)).containsOnly(Map.entry("8:10.0", 0b001L), Map.entry("16:10.1", 0b011L), Map.entry("16:192.168", 0b100L));
        assertThat(t.container.net_enforce).isEqualTo(0b110L);
        assertThat(t.cidr4.keySet()).allSatisfy(k -> assertThat(k.cgroup_id[0]).isEqualTo((byte) 7));
    }

    @Test
    void exceptCidrsAreStoredAsPrefixesWithoutTheirRuleAndAllowRulesGetTheirMask() {
        RuleTables t = new RuleTables(7, new ContainerRules(List.of(
                new KernelNetworkRule("P", "egress", KernelAction.BLOCK, List.of(Cidr.parse("0.0.0.0/0")),
                        List.of(Cidr.parse("10.20.0.0/16"), Cidr.parse("127.0.0.0/8")), Set.of(), Set.of()),
                rule("watch", KernelAction.ALERT, Set.of(), Set.of(), "10.0.0.0/8"),
                rule("dns", KernelAction.ALLOW, Set.of(53), Set.of(Protocol.UDP), "10.0.0.53/32")), List.of(), List.of()), SYSCALLS);

        // 10.20.x: inside the except, so only "watch" (bit 1); 10.0.0.53 still blocked unless the allow rule (bit 2) matches
        assertThat(v4Masks(t)).containsOnly(Map.entry("0:0.0", 0b001L), Map.entry("16:10.20", 0b010L), Map.entry("8:127.0", 0L),
                Map.entry("8:10.0", 0b011L), Map.entry("32:10.0", 0b111L));
        assertThat(t.container.net_allow).isEqualTo(0b100L);
        assertThat(t.container.net_enforce).isEqualTo(0b001L);
    }

    @Test
    void portsAndProtocolsBecomeMasks() {
        RuleTables t = new RuleTables(1, new ContainerRules(List.of(
                rule("redis", KernelAction.BLOCK, Set.of(6379, 25), Set.of(Protocol.TCP), "0.0.0.0/0"),
                rule("dns", KernelAction.ALERT, Set.of(), Set.of(Protocol.UDP), "::/0"),
                rule("all", KernelAction.BLOCK, Set.of(25), Set.of(), "fd00::/8")), List.of(), List.of()), SYSCALLS);

        assertThat(t.ports.entrySet()).extracting(e -> e.getKey().port + "=" + e.getValue()).containsExactlyInAnyOrder("6379=1", "25=5");
        assertThat(t.container.net_any_port).isEqualTo(0b010L);
        assertThat(t.container.net_tcp).isEqualTo(0b001L);
        assertThat(t.container.net_udp).isEqualTo(0b010L);
        assertThat(t.container.net_any_proto).isEqualTo(0b100L);
        assertThat(t.cidr6.values()).containsExactlyInAnyOrder(0b110L, 0b010L);
    }

    @Test
    void syscallsSetBitsByNumberAndUnknownNamesAreRejected() {
        int ptrace = SYSCALLS.number("ptrace").getAsInt();
        RuleTables t = new RuleTables(1, new ContainerRules(List.of(),
                List.of(new KernelSyscallRule("P", "k", KernelAction.KILL, List.of("ptrace")), new KernelSyscallRule("P", "a", KernelAction.ALERT, List.of("syslog"))),
                List.of()), SYSCALLS);
        assertThat(t.container.syscall_kill[ptrace >> 6]).isEqualTo(1L << (ptrace & 63));
        int syslog = SYSCALLS.number("syslog").getAsInt();
        assertThat(t.container.syscall_alert[syslog >> 6] & (1L << (syslog & 63))).isNotZero();

        assertThatThrownBy(() -> new RuleTables(1, new ContainerRules(List.of(),
                List.of(new KernelSyscallRule("Pol", "r1", KernelAction.KILL, List.of("ptrcae"))), List.of()), SYSCALLS))
                .hasMessage("syscall rule r1 of policy Pol: unknown syscall \"ptrcae\" on this architecture");
    }

    @Test
    void aNameInSeveralRulesIsDecidedByTheFirstThatKills() {
        RuleTables t = new RuleTables(1, new ContainerRules(List.of(), List.of(), List.of(
                new ProcessNameRule("P", "watch", KernelAction.ALERT, List.of("nc", "curl")),
                new ProcessNameRule("P", "kill", KernelAction.KILL, List.of("nc")))), SYSCALLS);
        assertThat(t.names.entrySet()).extracting(e -> EventDecoder.cString(e.getKey().name) + "=" + e.getValue().rule + "/" + e.getValue().verdict)
                .containsExactlyInAnyOrder("nc=1/2", "curl=0/1");
    }

    @Test
    void cidrsWithHostBitsAndBadNamesAreRejected() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8")).hasMessage("10.0.0.1/8 has host bits set");
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).hasMessageStartingWith("not a CIDR");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("out of range");
        assertThat(Cidr.parse("fd00::/8").contains(Cidr.parse("fd12::/16"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").contains(Cidr.parse("11.0.0.0/16"))).isFalse();
        assertThatThrownBy(() -> new ProcessNameRule("P", "r", KernelAction.KILL, List.of("/bin/nc"))).hasMessageContaining("base name");
        assertThatThrownBy(() -> new KernelSyscallRule("P", "r", KernelAction.BLOCK, List.of("ptrace"))).hasMessageContaining("BPF LSM");
    }

    @Test
    void thePolicyLimitsMirrorTheKernelProgram() {
        assertThat(io.driftguard.daemon.policy.ProcessRule.MAX_KERNEL_NAME_BYTES).isEqualTo(DriftguardH.DG_NAME_LEN - 1);
        assertThat(io.driftguard.daemon.policy.NetworkRule.MAX_PER_CONTAINER).isEqualTo(DriftguardH.DG_MAX_NET_RULES);
    }
}
