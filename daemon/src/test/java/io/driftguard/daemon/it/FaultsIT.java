package io.driftguard.daemon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.testing.Prerequisites;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * bench/faults.sh without systemd: SIGKILL, SIGSTOP and a clean stop of the daemon while a
 * container loops over a blocked exec and a blocked connect. The pinned eBPF rules keep every
 * connect blocked through the kill; execs get through only while no daemon runs (no fd store
 * here); nothing is left after the clean stop. (Under systemd, DebInSystemdIT runs the script.)
 */
class FaultsIT {
    @Test
    void pinnedRulesHoldWhileTheDaemonIsDeadAndACleanStopLeavesNothing() {
        Prerequisites.requireImage(DockerCli.IMAGE);
        Prerequisites.requireCommand("bpftool");
        Path repo = DaemonProcess.jar().getParent().getParent().getParent();
        DockerCli.Result run = DockerCli.exec(List.of("bash", repo.resolve("bench/faults.sh").toString(), "--stall", "3"));
        String out = run.all();
        assertThat(run.exit()).as(out).isZero();
        assertThat(line(out, "running")).as(out).contains("execs").containsPattern("through +0 \\| connects +\\d+ through +0 ");
        assertThat(line(out, "SIGKILL")).as("connects stay blocked while the daemon is dead: %s", out)
                .containsPattern("connects +\\d+ through +0 ");
        assertThat(line(out, "SIGSTOP")).as(out).containsPattern("through +0 \\| connects +\\d+ through +0 ");
        assertThat(line(out, "faults:")).as(out).endsWith("leaked=0");
    }

    private static String line(String out, String start) {
        return out.lines().filter(l -> l.startsWith(start)).findFirst().orElse("");
    }
}
