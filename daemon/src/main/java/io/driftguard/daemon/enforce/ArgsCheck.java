package io.driftguard.daemon.enforce;

import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.kernel.Processes;
import io.driftguard.daemon.policy.Action;
import java.io.IOException;
import java.util.List;

/**
 * Checks {@code args_regex} rules once an exec has happened. When fanotify asks for exec
 * permission the kernel has not yet copied the new program's arguments, so they cannot be seen
 * before the program starts: a matching {@code block} or {@code kill} rule kills it as soon as its
 * arguments are visible (its /proc/PID/exe is the file that was allowed).
 */
final class ArgsCheck implements Runnable {
    private static final int WAIT_STEPS = 100;

    private final ContainerInfo container;
    private final EventDispatcher events;
    private final int pid;
    private final FileStat file;
    private final String path;
    private final List<RuleRef> rules;

    ArgsCheck(ContainerInfo container, EventDispatcher events, int pid, FileStat file, String path, List<RuleRef> rules) {
        this.container = container;
        this.events = events;
        this.pid = pid;
        this.file = file;
        this.path = path;
        this.rules = List.copyOf(rules);
    }

    @Override
    public void run() {
        if (!waitForExec()) {
            return;
        }
        List<String> args = ProcFs.cmdline(pid);
        for (RuleRef ref : rules) {
            if (!ref.rule().matchesArgs(args)) {
                continue;
            }
            Action taken = ref.action() == Action.ALERT ? Action.ALERT : Action.KILL;
            if (taken == Action.KILL && !Processes.kill(pid)) {
                return;
            }
            ProcessInfo process = new ProcessInfo(pid, path, args, ProcFs.uid(pid));
            events.publish(ExecEvents.decided(container, ref, taken, "arguments " + String.join(" ", args), process));
            return;
        }
    }

    /** Waits (at most about 200 ms) until the process runs the allowed file. */
    private boolean waitForExec() {
        for (int i = 0; i < WAIT_STEPS; i++) {
            try {
                FileStat exe = FileStat.ofFollowing(ProcFs.exe(pid));
                if (exe.key().equals(file.key())) {
                    return true;
                }
            } catch (IOException gone) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
