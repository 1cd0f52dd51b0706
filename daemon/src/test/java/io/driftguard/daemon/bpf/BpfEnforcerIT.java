package io.driftguard.daemon.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.EventAction;
import io.driftguard.core.testing.Prerequisites;
import io.driftguard.daemon.policy.Cidr;
import io.driftguard.daemon.policy.Protocol;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The eBPF rules on real containers and the real kernel, through the library's API. Traffic goes
 * only to listeners this test starts on 127.0.0.1, 127.0.0.2 and ::1.
 */
class BpfEnforcerIT {
    private static final BlockingQueue<BpfEvent> EVENTS = new LinkedBlockingQueue<>();
    /** Closed by default; a test that wants the ring buffer to overflow holds the consumer here. */
    private static volatile CountDownLatch consumerGate = new CountDownLatch(0);
    private static BpfEnforcer enforcer;
    private static Path dgtool;

    private TestContainer container;
    private ContainerBpf handle;
    private Listeners listeners;

    @BeforeAll
    static void open() throws IOException {
        Prerequisites.requireImage(TestContainer.IMAGE);
        Prerequisites.requireCommand("gcc");
        Prerequisites.requireCommand("bpftool");
        dgtool = DgTool.build();
        enforcer = BpfEnforcer.open(event -> {
            try {
                consumerGate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            EVENTS.add(event);
        });
    }

    @AfterAll
    static void close() {
        if (enforcer != null) {
            enforcer.close();
        }
    }

    @BeforeEach
    void start() throws IOException {
        EVENTS.clear();
        listeners = new Listeners();
        container = new TestContainer();
        container.copyIn(dgtool, "/bin/dgtool");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (handle != null) {
                handle.close();
            }
        } finally {
            listeners.close();
            container.close();
        }
    }

    @Test
    void blockedCidrFailsWithEpermInTheContainerOnly() throws Exception {
        int port1 = listeners.tcp("127.0.0.1", 0);
        int port2 = listeners.tcp("127.0.0.2", 0);
        handle = attach(network("NoSecondLoopback", "deny-127.0.0.2", KernelAction.BLOCK, List.of("127.0.0.2/32"), Set.of(), Set.of()));

        assertThat(tcpFromContainer(container, "127.0.0.2", port2)).contains("Operation not permitted");
        assertThat(tcpFromContainer(container, "127.0.0.1", port1)).contains("connected");
        assertThat(Listeners.hostConnects("127.0.0.1", port1)).isTrue();
        assertThat(Listeners.hostConnects("127.0.0.2", port2)).isTrue();
        try (TestContainer other = new TestContainer()) {
            assertThat(tcpFromContainer(other, "127.0.0.2", port2)).as("a container without rules").contains("connected");
        }

        BpfEvent.Network event = await(BpfEvent.Network.class, e -> e.port() == port2);
        assertThat(event.action()).isEqualTo(EventAction.BLOCKED);
        assertThat(event.address()).isEqualTo(InetAddress.getByName("127.0.0.2"));
        assertThat(event.protocol()).isEqualTo("tcp");
        assertThat(event.rule().policy()).isEqualTo("NoSecondLoopback");
        assertThat(event.rule().rule()).isEqualTo("deny-127.0.0.2");
        assertThat(event.container().name()).isEqualTo(container.name);
        assertThat(event.process().pid()).isPositive();
        assertThat(event.process().path()).isEqualTo("/bin/bash");
        assertThat(BpfEventTranslator.toEvent(event).message())
                .isEqualTo("Blocked connect to 127.0.0.2:" + port2 + "/tcp from /bin/bash (pid " + event.process().pid()
                        + ") in container " + container.name + " by rule deny-127.0.0.2 of policy NoSecondLoopback");
        assertThat(EVENTS.stream().filter(e -> e instanceof BpfEvent.Network n && n.port() == port1)).isEmpty();
    }

    @Test
    void portRuleBlocksOnlyItsPorts() throws Exception {
        int blocked = listeners.tcp("127.0.0.1", 0);
        int open = listeners.tcp("127.0.0.1", 0);
        handle = attach(network("Ports", "no-" + blocked, KernelAction.BLOCK, List.of("127.0.0.0/8"), Set.of(blocked), Set.of(Protocol.TCP)));

        assertThat(tcpFromContainer(container, "127.0.0.1", blocked)).contains("Operation not permitted");
        assertThat(tcpFromContainer(container, "127.0.0.1", open)).contains("connected");
    }

    @Test
    void ipv6RuleBlocksLoopbackAndItsIpv4MappedFormIsJudgedByIpv4Rules() throws Exception {
        int port6 = listeners.tcp("::1", 0);
        int port4 = listeners.tcp("127.0.0.2", 0);
        handle = attach(network("V6", "no-::1-no-.2", KernelAction.BLOCK, List.of("::1/128", "127.0.0.2/32"), Set.of(), Set.of()));

        assertThat(tcpFromContainer(container, "::1", port6)).contains("Operation not permitted");
        assertThat(Listeners.hostConnects("::1", port6)).isTrue();
        BpfEvent.Network event = await(BpfEvent.Network.class, e -> e.port() == port6);
        assertThat(event.address()).isEqualTo(InetAddress.getByName("::1"));

        // an AF_INET6 socket connecting to ::ffff:127.0.0.2 reaches the IPv4 listener unless judged as IPv4
        assertThat(tcpFromContainer(container, "::ffff:127.0.0.2", port4)).contains("Operation not permitted");
        assertThat(await(BpfEvent.Network.class, e -> e.port() == port4).address()).isEqualTo(InetAddress.getByName("127.0.0.2"));
    }

    @Test
    void udpSendmsgIsBlockedByProtocolRule() throws Exception {
        DatagramSocket two = listeners.udp("127.0.0.2");
        DatagramSocket one = listeners.udp("127.0.0.1");
        DatagramSocket six = listeners.udp("::1");
        handle = attach(network("Udp", "no-udp-to-.2", KernelAction.BLOCK, List.of("127.0.0.2/32", "::1/128"), Set.of(), Set.of(Protocol.UDP)));

        TestContainer.Result blocked = container.exec("/bin/dgtool", "sendto", "127.0.0.2", Integer.toString(two.getLocalPort()));
        assertThat(blocked.output()).contains("Operation not permitted");
        assertThat(blocked.exitCode()).isEqualTo(2);
        assertThat(Listeners.received(two, 500)).isFalse();

        TestContainer.Result allowed = container.exec("/bin/dgtool", "sendto", "127.0.0.1", Integer.toString(one.getLocalPort()));
        assertThat(allowed.exitCode()).as(allowed.output()).isZero();
        assertThat(Listeners.received(one, 2000)).isTrue();
        assertThat(await(BpfEvent.Network.class, e -> e.port() == two.getLocalPort()).protocol()).isEqualTo("udp");

        assertThat(container.exec("/bin/dgtool", "sendto", "::1", Integer.toString(six.getLocalPort())).exitCode()).isEqualTo(2);
        assertThat(Listeners.received(six, 500)).isFalse();
    }

    @Test
    void alertRuleReportsWithoutBlocking() throws Exception {
        int port = listeners.tcp("127.0.0.2", 0);
        handle = attach(network("Watch", "watch-.2", KernelAction.ALERT, List.of("127.0.0.0/24"), Set.of(), Set.of()));

        assertThat(tcpFromContainer(container, "127.0.0.2", port)).contains("connected");
        assertThat(await(BpfEvent.Network.class, e -> e.port() == port).action()).isEqualTo(EventAction.ALERTED);
    }

    @Test
    void syscallRuleKillsThePtraceCallerInTheContainerOnly() throws Exception {
        handle = attach(new ContainerRules(List.of(),
                List.of(new KernelSyscallRule("NoDebug", "no-ptrace", KernelAction.KILL, List.of("ptrace", "process_vm_writev"))), List.of()));

        TestContainer.Result inContainer = container.exec("/bin/dgtool", "ptrace");
        assertThat(inContainer.exitCode()).as(inContainer.output()).isEqualTo(128 + 9);
        TestContainer.Result onHost = TestContainer.run(dgtool.toString(), "ptrace");
        assertThat(onHost.exitCode()).as(onHost.output()).isZero();

        BpfEvent.Syscall event = await(BpfEvent.Syscall.class, e -> true);
        assertThat(event.action()).isEqualTo(EventAction.KILLED);
        assertThat(event.name()).isEqualTo("ptrace");
        assertThat(event.rule().rule()).isEqualTo("no-ptrace");
        assertThat(event.process().path()).isEqualTo("/bin/dgtool");
        assertThat(handle.mechanisms()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(RuleKind.SYSCALL);
            assertThat(m.rule()).isEqualTo("no-ptrace");
            assertThat(m.mechanism()).startsWith("tp_btf/sys_enter + bpf_send_signal(SIGKILL)");
        });
    }

    @Test
    void a32BitSyscallIsNotJudgedByThe64BitNumbers() throws Exception {
        Prerequisites.require("amd64".equals(System.getProperty("os.arch")), "x86_64 (int 0x80)");
        handle = attach(new ContainerRules(List.of(), List.of(new KernelSyscallRule("P", "no-msync", KernelAction.KILL, List.of("msync"))), List.of()));

        // i386 syscall 26 is ptrace; read as x86_64 number 26 it would be msync and be killed
        TestContainer.Result r = container.exec("/bin/dgtool", "ptrace32");
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    @Test
    void processRuleKillsBusyboxAppletByInvokedName() throws Exception {
        int port = listeners.tcp("127.0.0.1", 0);
        handle = attach(new ContainerRules(List.of(), List.of(),
                List.of(new ProcessNameRule("NoNetcat", "no-nc", KernelAction.KILL, List.of("nc")))));

        assertThat(container.exec("nc", "127.0.0.1", Integer.toString(port)).exitCode()).isEqualTo(128 + 9);
        assertThat(container.exec("busybox", "nc", "127.0.0.1", Integer.toString(port)).exitCode()).isEqualTo(128 + 9);
        assertThat(container.exec("sh", "-c", "exec -a nc /bin/busybox 127.0.0.1 " + port).exitCode()).isEqualTo(128 + 9);
        assertThat(container.exec("busybox", "true").exitCode()).as("other applets still run").isZero();

        BpfEvent.Exec event = await(BpfEvent.Exec.class, e -> true);
        assertThat(event.action()).isEqualTo(EventAction.KILLED);
        assertThat(event.invokedName()).isEqualTo("nc");
        assertThat(event.process().path()).isEqualTo("/bin/nc");
    }

    @Test
    void isolateDropsEveryPacketUntilRelease() throws Exception {
        int port = listeners.tcp("127.0.0.1", 0);
        handle = attach(ContainerRules.none());
        assertThat(tcpFromContainer(container, "127.0.0.1", port)).contains("connected");

        handle.isolate("test");
        assertThat(handle.isolated()).isTrue();
        assertThat(tcpFromContainer(container, "127.0.0.1", port)).doesNotContain("connected");
        assertThat(Listeners.hostConnects("127.0.0.1", port)).isTrue();
        assertThat(await(BpfEvent.Isolation.class, e -> true).action()).isEqualTo(EventAction.ISOLATED);

        handle.release("test");
        assertThat(tcpFromContainer(container, "127.0.0.1", port)).contains("connected");
        assertThat(await(BpfEvent.Isolation.class, e -> true).action()).isEqualTo(EventAction.RELEASED);
    }

    @Test
    void isolateActionOfARuleIsolatesTheContainer() throws Exception {
        int port1 = listeners.tcp("127.0.0.1", 0);
        int port2 = listeners.tcp("127.0.0.2", 0);
        handle = attach(network("Quarantine", "touching-.2", KernelAction.ISOLATE, List.of("127.0.0.2/32"), Set.of(), Set.of()));

        assertThat(tcpFromContainer(container, "127.0.0.2", port2)).contains("Operation not permitted");
        BpfEvent.Isolation isolation = await(BpfEvent.Isolation.class, e -> true);
        assertThat(isolation.reason()).isEqualTo("rule touching-.2 of policy Quarantine");
        assertThat(tcpFromContainer(container, "127.0.0.1", port1)).doesNotContain("connected");
    }

    @Test
    void closingReleasesLinksAndMapEntries() throws Exception {
        handle = attach(network("P", "r", KernelAction.BLOCK, List.of("127.0.0.2/32"), Set.of(), Set.of()));
        handle.isolate("test");
        Path dir = handle.cgroupDir();
        assertThat(programsOn(dir)).containsExactlyInAnyOrder("dg_connect4", "dg_connect6", "dg_sendmsg4", "dg_sendmsg6",
                "dg_isolate_egress", "dg_isolate_ingress");

        assertThat(mapEntriesOf(handle.cgroupId())).isEqualTo(2); // dg_containers + one dg_cidr4 prefix

        handle.close();
        assertThat(programsOn(dir)).isEmpty();
        assertThat(mapEntriesOf(handle.cgroupId())).isZero();
    }

    @Test
    void replacingRulesSwitchesWithoutDetachingAndLeavesNoStaleEntries() throws Exception {
        int port1 = listeners.tcp("127.0.0.1", 0);
        int port2 = listeners.tcp("127.0.0.2", 0);
        handle = attach(network("P", "no-.2", KernelAction.BLOCK, List.of("127.0.0.2/32"), Set.of(), Set.of()));
        assertThat(tcpFromContainer(container, "127.0.0.2", port2)).contains("Operation not permitted");

        handle.replaceRules(network("P", "no-.1", KernelAction.BLOCK, List.of("127.0.0.1/32", "::1/128"), Set.of(port1), Set.of()));
        assertThat(tcpFromContainer(container, "127.0.0.2", port2)).contains("connected");
        assertThat(tcpFromContainer(container, "127.0.0.1", port1)).contains("Operation not permitted");
        assertThat(await(BpfEvent.Network.class, e -> e.port() == port1).rule().rule()).isEqualTo("no-.1");
        assertThat(mapEntriesOf(handle.cgroupId())).isEqualTo(4); // container, 127.0.0.1/32, ::1/128, port

        handle.replaceRules(ContainerRules.none());
        assertThat(tcpFromContainer(container, "127.0.0.1", port1)).contains("connected");
        assertThat(mapEntriesOf(handle.cgroupId())).isEqualTo(1);
    }

    @Test
    void linksAndEntriesGoneAfterTheContainerStopsEvenWithoutClose() throws Exception {
        handle = attach(network("P", "r", KernelAction.BLOCK, List.of("127.0.0.2/32"), Set.of(), Set.of()));
        long cgroupId = handle.cgroupId();
        assertThat(linksOfCgroup(cgroupId)).isEqualTo(4);
        container.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((linksOfCgroup(cgroupId) > 0 || mapEntriesOf(cgroupId) > 0) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(linksOfCgroup(cgroupId)).isZero();
        assertThat(mapEntriesOf(cgroupId)).isZero();
    }

    @Test
    void aFullRingBufferIsCountedAndReported() throws Exception {
        int port = listeners.fastTcp(dgtool, "127.0.0.1");
        handle = attach(network("Watch", "every-connect", KernelAction.ALERT, List.of("127.0.0.0/8"), Set.of(port), Set.of()));
        long lostBefore = enforcer.lostEvents();
        consumerGate = new CountDownLatch(1);
        TestContainer.Result loop;
        try {
            // 6000 records of 240 bytes do not fit into the 1 MiB ring buffer while nobody drains it
            loop = container.exec("/bin/dgtool", "connect-loop", "127.0.0.1", Integer.toString(port), "6000");
        } finally {
            consumerGate.countDown();
        }
        assertThat(loop.exitCode()).as(loop.output()).isZero();
        BpfEvent.Lost lost = await(BpfEvent.Lost.class, e -> true);
        assertThat(lost.count()).isPositive();
        assertThat(enforcer.lostEvents() - lostBefore).isGreaterThanOrEqualTo(lost.count());
    }

    @Test
    void probeFindsTheMechanismsTheseProgramsNeed() {
        BpfProbe probe = enforcer.probe();
        System.out.println("kernel probe:\n" + probe);
        for (Mechanism m : List.of(Mechanism.CGROUP_SOCK_ADDR, Mechanism.CGROUP_SKB, Mechanism.TP_BTF, Mechanism.SEND_SIGNAL)) {
            assertThat(probe.available(m)).as(m + ": " + probe.results().get(m).detail()).isTrue();
        }
        assertThat(probe.results()).hasSize(Mechanism.values().length);
        probe.results().values().stream().filter(r -> !r.available()).forEach(r -> assertThat(r.detail()).contains("failed: "));
        assertThat(probe.mechanismFor(RuleKind.SYSCALL, KernelAction.KILL)).startsWith("tp_btf/sys_enter + bpf_send_signal(SIGKILL)");
    }

    private ContainerBpf attach(ContainerRules rules) throws IOException {
        return enforcer.attach(container.ref(), container.cgroupDir(), rules);
    }

    private static ContainerRules network(String policy, String rule, KernelAction action, List<String> cidrs, Set<Integer> ports, Set<Protocol> protocols) {
        return new ContainerRules(List.of(new KernelNetworkRule(policy, rule, action, cidrs.stream().map(Cidr::parse).toList(), List.of(), ports, protocols)),
                List.of(), List.of());
    }

    /** bash's /dev/tcp: prints "connected" or bash's error (strerror of connect); gives up after 3 s (dropped SYNs). */
    private static String tcpFromContainer(TestContainer c, String addr, int port) throws IOException {
        return c.exec("timeout", "3", "bash", "-c", "exec 3<>/dev/tcp/" + addr + "/" + port + " && echo connected").output();
    }

    private static <T extends BpfEvent> T await(Class<T> type, Predicate<T> match) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            BpfEvent e = EVENTS.poll(100, TimeUnit.MILLISECONDS);
            if (type.isInstance(e) && match.test(type.cast(e))) {
                return type.cast(e);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " event within 5 s");
    }

    private static List<String> programsOn(Path cgroupDir) throws IOException {
        return TestContainer.run("bpftool", "cgroup", "show", cgroupDir.toString()).output().lines()
                .map(line -> line.trim().split("\\s+"))
                .filter(f -> f.length >= 3 && f[0].matches("\\d+"))
                .map(f -> f[f.length - 1])
                .toList();
    }

    /**
     * Entries of driftguard's rule maps that belong to a cgroup: bpftool prints keys as hex bytes,
     * and every key carries the cgroup id (native byte order). Only keys count: a dg_containers
     * value holds the id as well (its rules_id).
     */
    private static int mapEntriesOf(long cgroupId) throws IOException {
        StringBuilder needle = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            needle.append(i == 0 ? "" : ",").append(String.format("\"0x%02x\"", (cgroupId >>> (8 * i)) & 0xff));
        }
        int count = 0;
        for (String map : List.of("dg_containers", "dg_cidr4", "dg_cidr6", "dg_ports", "dg_names")) {
            String dump = TestContainer.run("bpftool", "-j", "map", "dump", "name", map).output();
            for (int at = dump.indexOf(needle.toString()); at >= 0; at = dump.indexOf(needle.toString(), at + 1)) {
                if (dump.lastIndexOf("\"key\"", at) > dump.lastIndexOf("\"value\"", at)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static long linksOfCgroup(long cgroupId) throws IOException {
        return TestContainer.run("bpftool", "link", "show").output().lines()
                .filter(line -> line.contains("cgroup_id " + cgroupId + " ") || line.endsWith("cgroup_id " + cgroupId))
                .count();
    }
}
