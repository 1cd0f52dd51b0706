package io.driftguard.daemon.enforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.model.ContainerId;
import io.driftguard.core.model.Digest;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.FanotifyPermissions;
import io.driftguard.daemon.kernel.LibC;
import io.driftguard.daemon.kernel.RootedOpen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decision and the deadline racing for one exec, many times over: one response each time, on an open descriptor. */
class ExecAnswerTest {
    private static final ContainerInfo CONTAINER = new ContainerInfo(ContainerId.parse("ab".repeat(32)), "answer-test", "img",
            Digest.parse("sha256:" + "2".repeat(64)),
            1, Map.of(), List.of());

    @TempDir
    Path tmp;

    @Test
    void theDecisionAndTheFailModeNeverBothAnswer() throws Exception {
        Path file = Files.writeString(tmp.toRealPath().resolve("prog"), "x");
        int root = RootedOpen.openRoot(file.getParent().toString());
        List<String> writes = new CopyOnWriteArrayList<>();
        FanotifyPermissions permissions = new FanotifyPermissions() {
            @Override
            public void respond(int fd, boolean allow) throws IOException {
                boolean open = refersTo(fd, file);
                writes.add(allow + (open ? "" : " on a closed descriptor"));
            }

            @Override
            public void ignoreUntilModified(int fd) {
            }

            @Override
            public void stopIgnoring(int fd) {
            }
        };
        List<Event> events = new CopyOnWriteArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (EventDispatcher dispatcher = new EventDispatcher(List.of(events::add), 10_000)) {
            ExecAnswer.Group group = new ExecAnswer.Group(CONTAINER, permissions, dispatcher, false);
            int decided = 0;
            for (int i = 0; i < 500; i++) {
                int fd = RootedOpen.open(root, "/prog", LibC.O_RDONLY);
                ExecAnswer answer = new ExecAnswer(group, fd, 1);
                CyclicBarrier start = new CyclicBarrier(2);
                Future<Boolean> decision = threads.submit(() -> {
                    start.await();
                    boolean won = answer.decide(true, false);
                    answer.release();
                    return won;
                });
                Future<Boolean> deadline = threads.submit(() -> {
                    start.await();
                    return answer.failMode("deadline");
                });
                boolean decisionWon = decision.get();
                assertThat(decisionWon).as("run " + i).isNotEqualTo(deadline.get());
                decided += decisionWon ? 1 : 0;
                assertThat(writes).as("run " + i).hasSize(i + 1).last().isEqualTo(decisionWon ? "true" : "false");
                // Another JVM thread may reuse the number at once: closed means it no longer names the file.
                assertThat(refersTo(fd, file)).as("descriptor closed after run " + i).isFalse();
                assertThat(answer.decide(true, false)).isFalse();
                assertThat(answer.failMode("late")).isFalse();
            }
            assertThat(writes).hasSize(500);
            dispatcher.close();
            assertThat(events).hasSize(500 - decided).allMatch(e -> e.message().contains("(deadline); denied by the fail mode"));
        } finally {
            threads.shutdownNow();
            RootedOpen.close(root);
        }
    }

    private static boolean refersTo(int fd, Path file) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).equals(file);
        } catch (IOException e) {
            return false;
        }
    }
}
