package io.driftguard.daemon.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.core.event.Severity;
import io.driftguard.core.model.ContainerId;
import io.driftguard.core.model.Digest;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.policy.Cidr;
import io.driftguard.daemon.policy.IpText;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BpfEventTranslatorTest {
    private static final String ID = "c0ffee" + "0".repeat(58);
    private static final ContainerInfo WEB = new ContainerInfo(ContainerId.parse(ID), "web-1", "nginx:1",
            Digest.parse("sha256:" + "ab".repeat(32)), 1, Map.of(), List.of());
    private static final ProcessInfo BUSYBOX = new ProcessInfo(123, "/bin/busybox", List.of("nc", "::1", "80"), 0);

    @Test
    void networkEventsNameDestinationProcessContainerRuleAndPolicy() throws Exception {
        KernelNetworkRule rule = new KernelNetworkRule("NoMetadata", "imds", KernelAction.BLOCK, List.of(Cidr.parse("::1/128")), List.of(), Set.of(), Set.of());
        Event e = BpfEventTranslator.toEvent(new BpfEvent.Network(WEB, rule, EventAction.BLOCKED, BUSYBOX,
                InetAddress.getByName("::1"), 8080, "tcp"));
        assertThat(e.message()).isEqualTo("Blocked connect to [::1]:8080/tcp from /bin/busybox (pid 123) in container web-1 by rule imds of policy NoMetadata");
        assertThat(e.kind()).isEqualTo(EventKind.NETWORK);
        assertThat(e.severity()).isEqualTo(Severity.HIGH);
        assertThat(e.containerId()).isEqualTo(ID);
        assertThat(e.policy()).isEqualTo("NoMetadata");
        assertThat(e.rule()).isEqualTo("imds");
        assertThat(e.details()).containsEntry("destination", "::1").containsEntry("port", "8080").containsEntry("protocol", "tcp");
    }

    @Test
    void syscallExecIsolationAndLostEvents() {
        KernelSyscallRule sys = new KernelSyscallRule("NoDebug", "no-ptrace", KernelAction.ALERT, List.of("ptrace"));
        assertThat(BpfEventTranslator.toEvent(new BpfEvent.Syscall(WEB, sys, EventAction.ALERTED, BUSYBOX, 101, "ptrace")).message())
                .isEqualTo("Alert: /bin/busybox (pid 123) in container web-1 called ptrace, matching rule no-ptrace of policy NoDebug");
        ProcessNameRule nc = new ProcessNameRule("NoNetcat", "no-nc", KernelAction.KILL, List.of("nc"));
        Event exec = BpfEventTranslator.toEvent(new BpfEvent.Exec(WEB, nc, EventAction.KILLED, BUSYBOX, "nc", ExecMethod.BUSYBOX_APPLET));
        assertThat(exec.message()).isEqualTo("Killed /bin/busybox (pid 123) started as nc (busybox applet) in container web-1"
                + " by rule no-nc of policy NoNetcat");
        assertThat(exec.kind()).isEqualTo(EventKind.PROCESS);
        assertThat(exec.details()).containsEntry("method", "busybox applet").containsEntry("invoked_name", "nc");
        Event drift = BpfEventTranslator.toEvent(new BpfEvent.Drift(WEB, new DriftRule("Immutable", KernelAction.BLOCK, List.of()),
                EventAction.KILLED, BUSYBOX, "memfd:x", ExecMethod.MEMFD));
        assertThat(drift.message()).isEqualTo("Killed exec of memfd:x (memfd) by /bin/busybox (pid 123) in container web-1:"
                + " not a file of the image (drift) by policy Immutable");
        assertThat(drift.kind()).isEqualTo(EventKind.DRIFT);
        assertThat(BpfEventTranslator.toEvent(new BpfEvent.Isolation(WEB, EventAction.ISOLATED, "operator")).message())
                .isEqualTo("Isolated container web-1 (operator)");
        Event lost = BpfEventTranslator.toEvent(new BpfEvent.Lost(5, 12));
        assertThat(lost.message()).isEqualTo("5 kernel events lost: the BPF ring buffer was full (12 since start)");
        assertThat(lost.kind()).isEqualTo(EventKind.DAEMON);
    }

    @Test
    void ipv6AddressesAreWrittenInTheirShortForm() throws Exception {
        assertThat(IpText.of(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(IpText.of(InetAddress.getByName("fd00::"))).isEqualTo("fd00::");
        assertThat(IpText.of(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpText.of(InetAddress.getByName("2001:db8:1:2:3:4:5:6"))).isEqualTo("2001:db8:1:2:3:4:5:6");
        assertThat(IpText.of(InetAddress.getByName("169.254.169.254"))).isEqualTo("169.254.169.254");
    }
}
