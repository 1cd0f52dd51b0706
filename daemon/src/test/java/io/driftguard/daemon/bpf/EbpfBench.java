package io.driftguard.daemon.bpf;

import io.driftguard.daemon.policy.Cidr;
import io.driftguard.daemon.policy.Protocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark, not a test (run by bench/ebpf-bench.sh as root): connect() and exec latency inside a
 * test container in three setups, measured in alternating rounds so that drift in the machine's
 * load hits all of them alike:
 * <ul>
 * <li>NONE: no eBPF program loaded;</li>
 * <li>POLICY: the enforcer open (sys_enter, sched_process_exec, cgroup_mkdir and cgroup_rmdir
 * attached globally) and a policy on the container whose rules do not match the loopback target,
 * so every connect runs the cgroup programs and passes, and every syscall and exec runs the global
 * programs (exec: the name checks and the drift checks of a file on the container's root);</li>
 * <li>ALERT_ALL: an alert rule matching every connect (one ring buffer event each).</li>
 * </ul>
 */
public final class EbpfBench {
    private static final int CONNECTS = 10_000;
    private static final int EXECS = 2_000;
    private static final int ROUNDS = 5;
    private static final Pattern MEAN = Pattern.compile("mean_ns (\\d+) cpu_ns (\\d+)");

    private enum Setup { NONE, POLICY, ALERT_ALL }

    /** Mean wall-clock and CPU (user + system) nanoseconds per operation of one round. */
    private record Sample(long wallNs, long cpuNs) {
    }

    private EbpfBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dgtool = DgTool.build();
        Map<Setup, List<Sample>> connects = new EnumMap<>(Setup.class);
        Map<Setup, List<Sample>> execs = new EnumMap<>(Setup.class);
        AtomicLong events = new AtomicLong();
        long lost = 0;
        try (Listeners listeners = new Listeners(); TestContainer container = new TestContainer()) {
            container.copyIn(dgtool, "/bin/dgtool");
            int port = listeners.fastTcp(dgtool, "127.0.0.1");
            for (int round = 0; round < ROUNDS; round++) {
                for (Setup setup : Setup.values()) {
                    if (setup == Setup.NONE) {
                        measure(container, port, connects, execs, setup);
                        continue;
                    }
                    try (BpfEnforcer enforcer = BpfEnforcer.open(e -> events.incrementAndGet())) {
                        ContainerBpf handle = enforcer.attach(container.ref(), container.cgroupDir(),
                                setup == Setup.POLICY ? policy(rootDevice(container)) : alertEveryConnect());
                        try {
                            measure(container, port, connects, execs, setup);
                        } finally {
                            handle.close();
                        }
                        lost += enforcer.lostEvents();
                    }
                }
            }
        }
        System.out.printf("%d connects to 127.0.0.1 and %d fork+exec of /bin/true per round; median of %d round means, in us;"
                + " cpu = user + system time of the measuring process and its children%n", CONNECTS, EXECS, ROUNDS);
        for (Setup setup : Setup.values()) {
            System.out.printf("%-10s connect wall %6.1f cpu %5.1f   fork+exec wall %7.1f cpu %6.1f   (wall per round: connect %s, exec %s)%n",
                    setup, median(connects.get(setup), Sample::wallNs), median(connects.get(setup), Sample::cpuNs),
                    median(execs.get(setup), Sample::wallNs), median(execs.get(setup), Sample::cpuNs),
                    micros(connects.get(setup)), micros(execs.get(setup)));
        }
        System.out.printf("ring buffer events received: %d, lost to a full buffer: %d%n", events.get(), lost);
    }

    private static ContainerRules policy(int rootDevice) {
        return new ContainerRules(
                List.of(new KernelNetworkRule("Bench", "no-metadata", KernelAction.BLOCK,
                                List.of(Cidr.parse("169.254.169.254/32"), Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")), List.of(), Set.of(), Set.of()),
                        new KernelNetworkRule("Bench", "no-smtp-redis", KernelAction.BLOCK, List.of(Cidr.parse("0.0.0.0/0")), List.of(),
                                Set.of(25, 6379), Set.of(Protocol.TCP))),
                List.of(new KernelSyscallRule("Bench", "no-ptrace", KernelAction.KILL, List.of("ptrace", "process_vm_writev"))),
                List.of(new ProcessNameRule("Bench", "no-nc", KernelAction.KILL, List.of("nc"))),
                List.of(new DriftRule("Bench", KernelAction.KILL, List.of(rootDevice))));
    }

    /** The container's root file system as the kernel numbers it (MKDEV of mountinfo's major:minor). */
    private static int rootDevice(TestContainer container) throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + container.pid() + "/mountinfo"))) {
            String[] f = line.split(" ");
            if (f[4].equals("/")) {
                String[] dev = f[2].split(":");
                return (Integer.parseInt(dev[0]) << 20) | Integer.parseInt(dev[1]);
            }
        }
        throw new java.io.IOException("no root mount in the container's mountinfo");
    }

    private static ContainerRules alertEveryConnect() {
        return new ContainerRules(List.of(new KernelNetworkRule("Bench", "watch-loopback", KernelAction.ALERT,
                List.of(Cidr.parse("127.0.0.0/8")), List.of(), Set.of(), Set.of())), List.of(), List.of());
    }

    private static void measure(TestContainer container, int port, Map<Setup, List<Sample>> connects, Map<Setup, List<Sample>> execs,
                                Setup setup) throws Exception {
        connects.computeIfAbsent(setup, s -> new ArrayList<>())
                .add(mean(container, "connect-loop", "127.0.0.1", Integer.toString(port), Integer.toString(CONNECTS)));
        execs.computeIfAbsent(setup, s -> new ArrayList<>()).add(mean(container, "exec-loop", "/bin/true", Integer.toString(EXECS)));
    }

    private static Sample mean(TestContainer container, String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("/bin/dgtool"));
        argv.addAll(List.of(command));
        TestContainer.Result r = container.exec(argv.toArray(String[]::new));
        Matcher m = MEAN.matcher(r.output());
        if (r.exitCode() != 0 || !m.find()) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + r.output());
        }
        return new Sample(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    private static double median(List<Sample> samples, ToLongFunction<Sample> field) {
        List<Long> sorted = new ArrayList<>(samples.stream().map(field::applyAsLong).toList());
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2) / 1000.0;
    }

    private static String micros(List<Sample> samples) {
        return samples.stream().map(v -> String.format("%.1f", v.wallNs() / 1000.0)).toList().toString();
    }
}
