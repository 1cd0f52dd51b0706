package io.driftguard.daemon.bpf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark, not a test (run by bench/ebpf-bench.sh as root): connect() and exec latency inside a
 * test container, first with no eBPF program loaded, then with the enforcer open (sys_enter and
 * sched_process_exec attached globally) and a policy attached to the container whose network
 * rules do not match the loopback target, so every connect runs the cgroup programs and passes;
 * then with an alert rule that matches every connect (one ring buffer event each).
 */
public final class EbpfBench {
    private static final int CONNECTS = 10_000;
    private static final int EXECS = 2_000;
    private static final int ROUNDS = 3;
    private static final Pattern MEAN = Pattern.compile("mean_ns (\\d+)");

    private EbpfBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dgtool = DgTool.build();
        try (Listeners listeners = new Listeners(); TestContainer container = new TestContainer()) {
            container.copyIn(dgtool, "/bin/dgtool");
            int port = listeners.fastTcp(dgtool, "127.0.0.1");
            System.out.printf("%d connects to 127.0.0.1 and %d fork+exec of /bin/true per round, %d rounds, median of round means%n",
                    CONNECTS, EXECS, ROUNDS);

            report("no eBPF programs", container, port);
            AtomicLong events = new AtomicLong();
            try (BpfEnforcer enforcer = BpfEnforcer.open(e -> events.incrementAndGet())) {
                ContainerRules policy = new ContainerRules(
                        List.of(new NetworkRule("Bench", "no-metadata", Action.BLOCK,
                                List.of(Cidr.parse("169.254.169.254/32"), Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")),
                                Set.of(), Set.of()),
                                new NetworkRule("Bench", "no-smtp-redis", Action.BLOCK, List.of(Cidr.parse("0.0.0.0/0")),
                                        Set.of(25, 6379), Set.of(Protocol.TCP))),
                        List.of(new SyscallRule("Bench", "no-ptrace", Action.KILL, List.of("ptrace", "process_vm_writev"))),
                        List.of(new ProcessNameRule("Bench", "no-nc", Action.KILL, List.of("nc"))));
                ContainerBpf withPolicy = enforcer.attach(container.ref(), container.cgroupDir(), policy);
                try {
                    report("policy attached, no rule matches", container, port);
                } finally {
                    withPolicy.close();
                }
                ContainerRules alertAll = new ContainerRules(List.of(new NetworkRule("Bench", "watch-loopback", Action.ALERT,
                        List.of(Cidr.parse("127.0.0.0/8")), Set.of(), Set.of())), List.of(), List.of());
                ContainerBpf withAlert = enforcer.attach(container.ref(), container.cgroupDir(), alertAll);
                try {
                    report("alert rule matching every connect", container, port);
                } finally {
                    withAlert.close();
                }
                System.out.printf("ring buffer events received: %d, lost: %d%n", events.get(), enforcer.lostEvents());
            }
        }
    }

    private static void report(String label, TestContainer container, int port) throws Exception {
        long connect = median(container, "connect-loop", "127.0.0.1", Integer.toString(port), Integer.toString(CONNECTS));
        long exec = median(container, "exec-loop", "/bin/true", Integer.toString(EXECS));
        System.out.printf("%-36s connect %6.1f us   fork+exec %7.1f us%n", label, connect / 1000.0, exec / 1000.0);
    }

    private static long median(TestContainer container, String... command) throws Exception {
        List<Long> means = new ArrayList<>();
        for (int i = 0; i < ROUNDS; i++) {
            List<String> argv = new ArrayList<>(List.of("/bin/dgtool"));
            argv.addAll(List.of(command));
            TestContainer.Result r = container.exec(argv.toArray(String[]::new));
            Matcher m = MEAN.matcher(r.output());
            if (r.exitCode() != 0 || !m.find()) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + r.output());
            }
            means.add(Long.parseLong(m.group(1)));
        }
        Collections.sort(means);
        return means.get(ROUNDS / 2);
    }
}
