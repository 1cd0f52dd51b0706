package io.driftguard.daemon.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BpfProbeTest {
    private static BpfProbe probe(Mechanism missing, String why) {
        Map<Mechanism, BpfProbe.Result> results = new EnumMap<>(Mechanism.class);
        for (Mechanism m : Mechanism.values()) {
            results.put(m, m == missing || m == Mechanism.BPF_LSM ? new BpfProbe.Result(false, why) : new BpfProbe.Result(true, "ok"));
        }
        return new BpfProbe(results);
    }

    @Test
    void syscallKillSaysItKillsAndWhyItCannotFailTheCall() {
        BpfProbe probe = probe(Mechanism.FENTRY, "Operation not permitted (errno 1)");
        assertThat(probe.mechanismFor(RuleKind.SYSCALL, KernelAction.KILL)).isEqualTo(
                "tp_btf/sys_enter + bpf_send_signal(SIGKILL): the caller is killed, the call is not failed "
                        + "(failing it needs BPF LSM: Operation not permitted (errno 1))");
        assertThat(probe.mechanismFor(RuleKind.NETWORK, KernelAction.ISOLATE)).isEqualTo(
                "cgroup/connect4,connect6,sendmsg4,sendmsg6 (the call fails with EPERM); then cgroup_skb/ingress,egress drop every packet");
    }

    @Test
    void aMissingMechanismIsNamedWithItsError() {
        BpfProbe probe = probe(Mechanism.CGROUP_SOCK_ADDR, "Invalid argument (errno 22)");
        assertThat(probe.mechanismFor(RuleKind.NETWORK, KernelAction.BLOCK)).isEqualTo(
                "unavailable: cgroup/connect4,connect6,sendmsg4,sendmsg6 does not work here (Invalid argument (errno 22))");
        assertThat(probe.available(Mechanism.TP_BTF)).isTrue();
    }
}
