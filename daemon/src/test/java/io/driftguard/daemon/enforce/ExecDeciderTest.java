package io.driftguard.daemon.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.Severity;
import io.driftguard.core.model.ContainerId;
import io.driftguard.core.model.Digest;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.FanotifyPermissions;
import io.driftguard.daemon.kernel.FdInputStream;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.kernel.LibC;
import io.driftguard.daemon.kernel.RootedOpen;
import io.driftguard.daemon.policy.Policy;
import io.driftguard.daemon.policy.PolicyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision path of one container's exec guard, on real files and descriptors, real hashing
 * and procfs, real workers and event dispatcher. Only the fanotify group is stood in for: a real
 * one cannot be made to fail a response or a mark. Each test makes one step fail (or be slow) and
 * checks that the exec got exactly one answer and that the events say which answer it was.
 */
class ExecDeciderTest {
    /** The decision timeout of the tests where the deadline should fire. */
    private static final Duration TIMEOUT = Duration.ofMillis(200);
    /** Of the others: no decision of a tiny file takes this long, even on a loaded host. */
    private static final Duration AMPLE = Duration.ofSeconds(1);
    private static final ContainerInfo CONTAINER = new ContainerInfo(ContainerId.parse("c0ffee" + "0".repeat(58)), "exec-test",
            "driftguard-test/shell:1", Digest.parse("sha256:" + "1".repeat(64)), (int) ProcessHandle.current().pid(), Map.of(),
            List.of("/bin"));

    @TempDir
    Path tmp;

    private final Permissions permissions = new Permissions();
    private final List<Event> published = new CopyOnWriteArrayList<>();
    /** What the observer (the metrics) was told, as "allow|deny by rules|fail mode". */
    private final List<String> answers = new CopyOnWriteArrayList<>();
    private final DecisionObserver observer = new DecisionObserver() {
        @Override
        public void answered(boolean allowed, boolean byFailMode, long nanos) {
            assertThat(nanos).isPositive();
            answers.add((allowed ? "allow" : "deny") + " by " + (byFailMode ? "fail mode" : "rules"));
        }

        @Override
        public void overflowed() {
        }
    };
    private EventDispatcher events;
    private DecisionWorkers workers;
    private Path program;
    private int rootFd = -1;
    private int eventFd = -1;
    private Duration timeout = AMPLE;

    @BeforeEach
    void setUp() throws IOException {
        events = new EventDispatcher(List.of(published::add), 1000);
        workers = new DecisionWorkers();
        program = tmp.toRealPath().resolve("prog");
        Files.writeString(program, "#!/bin/true\n");
        rootFd = RootedOpen.openRoot(program.getParent().toString());
        // The deadline runs from the start of a decision: load the classes of the first one before it starts.
        int warm = RootedOpen.open(rootFd, "/prog", LibC.O_RDONLY);
        FileStat.of(warm);
        RootedOpen.pathOf(warm);
        Digest.sha256(new FdInputStream(warm));
        RootedOpen.close(warm);
    }

    @AfterEach
    void tearDown() throws Exception {
        workers.close();
        events.close();
        RootedOpen.close(rootFd);
    }

    // --- a check that throws

    @Test
    void aCheckThatThrowsOnTheHashPathIsAnsweredByTheFailMode() throws Exception {
        decideOnce(true, digestRule("block", "0".repeat(64)), throwingCheck());
        assertThat(permissions.writes).containsExactly(new Write(eventFd, true, true));
        awaitEvent(e -> e.message().contains("decision failed: check broke") && e.message().contains("allowed by the fail mode"));
    }

    @Test
    void aCheckThatThrowsOnTheDirectPathIsAnsweredByTheFailMode() throws Exception {
        decideOnce(false, List.of(), throwingCheck());
        assertThat(permissions.writes).containsExactly(new Write(eventFd, false, true));
        assertThat(answers).containsExactly("deny by fail mode");
        awaitEvent(e -> e.message().contains("decision failed: check broke") && e.message().contains("denied by the fail mode"));
    }

    // --- a hash that fails

    @Test
    void aHashThatFailsIsAnsweredByTheFailMode() throws Exception {
        ExecDecider decider = decider(false, digestRule("block", "0".repeat(64)));
        decider.handle(open(LibC.O_PATH), CONTAINER.pid()); // pread on an O_PATH descriptor fails (EBADF)
        settle();
        assertThat(permissions.writes).containsExactly(new Write(eventFd, false, true));
        awaitEvent(e -> e.message().contains("cannot hash") && e.message().contains("denied by the fail mode"));
    }

    // --- a mark that fails

    @Test
    void aMarkThatFailsAfterTheAnswerIsReportedAsSuchNotAnsweredAgain() throws Exception {
        permissions.ignoreFailure = new IOException("fanotify_mark ignore: ENOSPC");
        decideOnce(false, List.of());
        assertThat(permissions.writes).containsExactly(new Write(eventFd, true, true));
        Event failed = awaitEvent(e -> e.message().contains("skip later execs of " + program));
        assertThat(failed.kind()).isEqualTo(EventKind.DAEMON);
        assertThat(failed.message()).contains("ENOSPC");
        assertThat(failed.details()).containsEntry("count", "1");
        assertNoEvent(e -> e.message().contains("fail mode"));
    }

    @Test
    void aFileChangedWhileBeingMarkedHasItsMarkTakenBack() throws Exception {
        permissions.onIgnore = () -> append(program);
        decideOnce(false, List.of());
        assertThat(permissions.writes).containsExactly(new Write(eventFd, true, true));
        assertThat(permissions.ignored.get()).isOne();
        assertThat(permissions.unignored.get()).isOne();
        assertNoEvent(e -> true);
    }

    @Test
    void aMarkThatCannotBeTakenBackIsReportedAsSuchNotAnsweredAgain() throws Exception {
        permissions.onIgnore = () -> append(program);
        permissions.stopIgnoringFailure = new IOException("fanotify_mark remove: EBADF");
        decideOnce(false, List.of());
        assertThat(permissions.writes).containsExactly(new Write(eventFd, true, true));
        Event failed = awaitEvent(e -> e.message().contains("changed while"));
        assertThat(failed.severity()).isEqualTo(Severity.HIGH);
        assertThat(failed.message()).contains(program.toString(), "EBADF");
        assertNoEvent(e -> e.message().contains("fail mode"));
    }

    @Test
    void anAllowedFileNoRuleNamesIsIgnoredUntilModified() throws Exception {
        decideOnce(false, List.of());
        assertThat(permissions.writes).containsExactly(new Write(eventFd, true, true));
        assertThat(permissions.ignored.get()).isOne();
        assertThat(permissions.unignored.get()).isZero();
        assertNoEvent(e -> true);
        assertThat(answers).containsExactly("allow by rules");
    }

    // --- a response write that fails

    @Test
    void aResponseThatCannotBeWrittenIsReportedNotClaimedAsABlock() throws Exception {
        permissions.writeFailure = new IOException("write fanotify response: ENOENT");
        decideOnce(true, pathRule("block"));
        assertThat(permissions.writes).containsExactly(new Write(eventFd, false, true));
        Event failed = awaitEvent(e -> e.message().contains("Cannot answer exec of " + program));
        assertThat(failed.severity()).isEqualTo(Severity.HIGH);
        assertThat(failed.message()).contains("ENOENT", "deny");
        assertNoEvent(e -> e.message().startsWith("Blocked exec"));
        assertNoEvent(e -> e.message().contains("fail mode"));
        assertThat(answers).as("an answer the kernel did not get is not counted").isEmpty();
    }

    @Test
    void aFailModeAnswerThatCannotBeWrittenIsReportedOnce() throws Exception {
        permissions.writeFailure = new IOException("write fanotify response: EBADF");
        decideOnce(false, List.of(), throwingCheck());
        assertThat(permissions.writes).hasSize(1);
        awaitEvent(e -> e.message().contains("Cannot answer exec of " + program) && e.message().contains("EBADF"));
        assertNoEvent(e -> e.message().contains("by the fail mode"));
    }

    // --- the deadline

    @Test
    void theDeadlineAnswersWhileTheDecisionIsStillBeingMade() throws Exception {
        timeout = TIMEOUT;
        CountDownLatch checkMayEnd = new CountDownLatch(1);
        ExecDecider decider = decider(false, digestRule("block", "0".repeat(64)), blockingCheck(checkMayEnd));
        decider.handle(open(LibC.O_RDONLY), CONTAINER.pid());
        await(() -> !permissions.writes.isEmpty(), "the fail mode's answer while the check still runs");
        checkMayEnd.countDown();
        settle();
        assertThat(permissions.writes).containsExactly(new Write(eventFd, false, true));
        awaitEvent(e -> e.message().contains("no decision within " + TIMEOUT.toMillis() + "ms")
                && e.message().contains("denied by the fail mode"));
        assertThat(permissions.ignored.get()).as("a file the fail mode answered is asked about again").isZero();
    }

    @Test
    void aDecisionStuckOnTheGuardsOwnThreadIsAnsweredByTheDeadline() throws Exception {
        timeout = TIMEOUT;
        CountDownLatch checkMayEnd = new CountDownLatch(1);
        ExecDecider decider = decider(true, pathRule("block"), blockingCheck(checkMayEnd));
        int fd = open(LibC.O_RDONLY);
        Thread guard = new Thread(() -> decider.handle(fd, CONTAINER.pid()));
        guard.start();
        await(() -> !permissions.writes.isEmpty(), "the fail mode's answer while the check still runs");
        checkMayEnd.countDown();
        guard.join();
        settle();
        assertThat(permissions.writes).containsExactly(new Write(eventFd, true, true));
        awaitEvent(e -> e.message().contains("no decision within " + TIMEOUT.toMillis() + "ms (decision_timeout)")
                && e.message().contains("allowed by the fail mode"));
        assertNoEvent(e -> e.message().startsWith("Blocked exec"));
    }

    @Test
    void theDescriptorStaysOpenUntilTheDeadlinesAnswerIsWritten() throws Exception {
        timeout = TIMEOUT;
        CountDownLatch writing = new CountDownLatch(1);
        // The check ends, and the decision lets go of the descriptor, while the deadline's answer is being written.
        permissions.beforeWrite = () -> {
            writing.countDown();
            sleep(TIMEOUT);
        };
        decideOnce(false, digestRule("block", "0".repeat(64)), blockingCheck(writing));
        assertThat(permissions.writes).containsExactly(new Write(eventFd, false, true));
        awaitEvent(e -> e.message().contains("denied by the fail mode"));
    }

    @Test
    void theDeadlineFiringWhileTheDecisionIsWrittenChangesNothing() throws Exception {
        CountDownLatch deadlinePassed = new CountDownLatch(1);
        permissions.beforeWrite = () -> awaitLatch(deadlinePassed);
        ExecDecider decider = decider(true, digestRule("block", sha256(program)));
        decider.handle(open(LibC.O_RDONLY), CONTAINER.pid());
        // The deadline thread is a single one: this runs once the exec's own deadline has fired.
        workers.deadlines.schedule(deadlinePassed::countDown, timeout.toMillis() + 1, TimeUnit.MILLISECONDS);
        settle();
        assertThat(permissions.writes).containsExactly(new Write(eventFd, false, true));
        awaitEvent(e -> e.message().startsWith("Blocked exec of " + program));
        assertNoEvent(e -> e.message().contains("fail mode"));
    }

    // --- the ordinary paths

    @Test
    void aKillRuleKillsTheProcessThenDenies() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "30").start();
        try {
            ExecDecider decider = decider(true, pathRule("kill"));
            decider.handle(open(LibC.O_RDONLY), (int) sleeper.pid());
            settle();
            assertThat(permissions.writes).containsExactly(new Write(eventFd, false, true));
            assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).isTrue();
            awaitEvent(e -> e.message().startsWith("Killed process " + sleeper.pid() + " on exec of " + program));
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void aDigestRuleBlocksWithoutTheFailMode() throws Exception {
        ExecDecider decider = decideOnce(true, digestRule("block", sha256(program)));
        assertThat(permissions.writes).containsExactly(new Write(eventFd, false, true));
        awaitEvent(e -> e.message().startsWith("Blocked exec of " + program));
        assertNoEvent(e -> e.message().contains("fail mode"));
        assertThat(decider.decisions()).isOne();
    }

    @Test
    void workersShuttingDownAnswerByTheFailMode() throws Exception {
        ExecDecider decider = decider(true, digestRule("block", "0".repeat(64)));
        workers.close();
        decider.handle(open(LibC.O_RDONLY), CONTAINER.pid());
        settle();
        assertThat(permissions.writes).containsExactly(new Write(eventFd, true, true));
        awaitEvent(e -> e.message().contains("shutting down") && e.message().contains("allowed by the fail mode"));
    }

    // --- helpers

    private record Write(int fd, boolean allow, boolean fdStillOpen) {
    }

    /** Records every response attempt (with whether the event's descriptor was still open) and fails on demand. */
    private final class Permissions implements FanotifyPermissions {
        final List<Write> writes = new CopyOnWriteArrayList<>();
        final AtomicInteger ignored = new AtomicInteger();
        final AtomicInteger unignored = new AtomicInteger();
        volatile IOException writeFailure;
        volatile IOException ignoreFailure;
        volatile IOException stopIgnoringFailure;
        volatile Runnable beforeWrite = () -> { };
        volatile Runnable onIgnore = () -> { };

        @Override
        public void respond(int fd, boolean allow) throws IOException {
            beforeWrite.run();
            writes.add(new Write(fd, allow, isOpen(fd)));
            if (writeFailure != null) {
                throw writeFailure;
            }
        }

        @Override
        public void ignoreUntilModified(int fd) throws IOException {
            ignored.incrementAndGet();
            if (ignoreFailure != null) {
                throw ignoreFailure;
            }
            onIgnore.run();
        }

        @Override
        public void stopIgnoring(int fd) throws IOException {
            unignored.incrementAndGet();
            if (stopIgnoringFailure != null) {
                throw stopIgnoringFailure;
            }
        }
    }

    /** One exec of the program by this JVM, decided to the end. */
    private ExecDecider decideOnce(boolean failOpen, List<RuleRef> rules, ExecCheck... checks) throws IOException {
        ExecDecider decider = decider(failOpen, rules, checks);
        decider.handle(open(LibC.O_RDONLY), CONTAINER.pid());
        settle();
        return decider;
    }

    private ExecDecider decider(boolean failOpen, List<RuleRef> rules, ExecCheck... checks) {
        return new ExecDecider(CONTAINER, new ExecRules(rules, Map.of()), List.of(checks), permissions, events, workers,
                new EnforcementSettings(failOpen, timeout), reason -> { }, observer);
    }

    private int open(int flags) throws IOException {
        eventFd = RootedOpen.open(rootFd, "/prog", flags);
        return eventFd;
    }

    private List<RuleRef> pathRule(String action) throws Exception {
        return rules("paths = [\"" + program + "\"]", action);
    }

    private List<RuleRef> digestRule(String action, String sha256) throws Exception {
        return rules("sha256 = [\"" + sha256 + "\"]", action);
    }

    private static List<RuleRef> rules(String selector, String action) throws Exception {
        Policy policy = PolicyLoader.parse(Path.of("test.toml"), """
                [[policy]]
                name = "Test"
                [[policy.process]]
                name = "r"
                action = "%s"
                %s
                """.formatted(action, selector)).get(0);
        return policy.processRules().stream().map(rule -> new RuleRef(policy, rule)).toList();
    }

    private static ExecCheck throwingCheck() {
        return check(() -> {
            throw new IllegalStateException("check broke");
        });
    }

    private static ExecCheck blockingCheck(CountDownLatch until) {
        return check(() -> awaitLatch(until));
    }

    private static ExecCheck check(Runnable body) {
        return new ExecCheck() {
            @Override
            public boolean needsDigest(String path, FileStat stat) {
                return false;
            }

            @Override
            public ExecFinding check(int pid, String path, FileStat stat, String sha256,
                                     java.util.function.Supplier<io.driftguard.daemon.policy.RuleExceptions.Parent> parent) {
                body.run();
                return null;
            }

            @Override
            public SensorStatus.RuleStatus status() {
                return null;
            }
        };
    }

    private boolean isOpen(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).equals(program);
        } catch (IOException gone) {
            return false;
        }
    }

    /** Waits until the decision let go of the event's descriptor, then past the deadline. */
    private void settle() {
        await(() -> !isOpen(eventFd), "the event's descriptor closed");
        sleep(timeout.plusMillis(100));
    }

    private Event awaitEvent(Predicate<Event> wanted) {
        await(() -> published.stream().anyMatch(wanted), "an event; got " + published.stream().map(Event::message).toList());
        return published.stream().filter(wanted).findFirst().orElseThrow();
    }

    private void assertNoEvent(Predicate<Event> unwanted) {
        sleep(Duration.ofMillis(50));
        assertThat(published.stream().filter(unwanted).map(Event::message)).isEmpty();
    }

    private static void await(BooleanSupplier condition, String what) {
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            sleep(Duration.ofMillis(5));
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void append(Path file) {
        try {
            Files.writeString(file, "# changed\n", java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
