package io.driftguard.daemon.enforce;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventDispatcher;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.core.event.Severity;
import io.driftguard.daemon.docker.ContainerInfo;
import io.driftguard.daemon.kernel.FileKey;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.kernel.Processes;
import io.driftguard.daemon.policy.Action;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks {@code args_regex} rules once an exec has happened. When fanotify asks for exec
 * permission the kernel has not yet copied the new program's arguments, so they cannot be seen
 * before the program starts: a matching {@code block} or {@code kill} rule kills it as soon as its
 * arguments are visible. They are visible once /proc/PID/exe is the file that was allowed and
 * /proc/PID/cmdline holds the new arguments: the kernel switches exe before it sets the new
 * argument area, and in that window cmdline reads empty (or, when the old program was the same
 * file, still the old arguments, taken at decision time to tell them apart). A process that ends
 * or never shows its arguments within {@link #WAIT} was not checked: a counted event says so.
 */
final class ArgsCheck implements Runnable {
    /** Measured: the new arguments show within a few ms of the answer; this bounds a loaded host. */
    private static final Duration WAIT = Duration.ofSeconds(2);
    /** A re-exec of the same file with the same arguments looks unchanged; after this it is taken as is. */
    private static final Duration SAME_ARGS = Duration.ofMillis(50);
    private static final AtomicLong UNCHECKED = new AtomicLong();

    private final ContainerInfo container;
    private final EventDispatcher events;
    private final int pid;
    private final FileStat file;
    private final String path;
    private final List<RuleRef> rules;
    private final boolean sameFileBefore;
    private final List<String> argsBefore;

    /** Made at decision time, while the process still waits in its old program. */
    ArgsCheck(ContainerInfo container, EventDispatcher events, int pid, FileStat file, String path, List<RuleRef> rules) {
        this.container = container;
        this.events = events;
        this.pid = pid;
        this.file = file;
        this.path = path;
        this.rules = List.copyOf(rules);
        this.sameFileBefore = runs(pid, file);
        this.argsBefore = sameFileBefore ? ProcFs.cmdline(pid) : List.of();
    }

    @Override
    public void run() {
        List<String> args = newArgs();
        if (args == null) {
            events.publish(unchecked());
            return;
        }
        for (RuleRef ref : rules) {
            if (!ref.rule().matchesArgs(args)) {
                continue;
            }
            Action taken = ref.action() == Action.ALERT ? Action.ALERT : Action.KILL;
            // A process that ended is a zombie until reaped, and kill() still succeeds on it: not a kill.
            if (taken == Action.KILL && (exe(pid) == null || !Processes.kill(pid))) {
                events.publish(unchecked());
                return;
            }
            ProcessInfo process = new ProcessInfo(pid, path, args, ProcFs.uid(pid));
            events.publish(ExecEvents.decided(container, ref, taken, "arguments " + String.join(" ", args), process));
            return;
        }
    }

    /** The arguments of the new program, or null when the process ended (or did not exec) before they showed. */
    private List<String> newArgs() {
        long start = System.nanoTime();
        long end = start + WAIT.toNanos();
        while (System.nanoTime() < end) {
            FileKey exe = exe(pid);
            if (exe == null) {
                return null; // ended: gone, or a zombie without an exe
            }
            if (exe.equals(file.key())) {
                List<String> args = ProcFs.cmdline(pid);
                boolean fresh = !args.isEmpty() && (!sameFileBefore || !args.equals(argsBefore)
                        || System.nanoTime() - start > SAME_ARGS.toNanos());
                if (fresh) {
                    return args;
                }
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static boolean runs(int pid, FileStat file) {
        return file.key().equals(exe(pid));
    }

    /** The file a process runs, null when it ended. */
    private static FileKey exe(int pid) {
        try {
            return FileStat.ofFollowing(ProcFs.exe(pid)).key();
        } catch (IOException gone) {
            return null;
        }
    }

    /** A process of a file with args rules that ended before its arguments could be read: it was not judged by them. */
    private Event unchecked() {
        long count = UNCHECKED.incrementAndGet();
        return Event.builder(EventKind.DAEMON, EventAction.ALERTED, Severity.MEDIUM)
                .container(container.id(), container.name(), container.image(), container.imageId())
                .process(new ProcessInfo(pid, path, null, null))
                .policy(rules.get(0).policy().name(), rules.get(0).rule().name())
                .detail("count", Long.toString(count))
                .message("Arguments of exec of " + path + " in container " + container.name() + " not checked: the process"
                        + " ended within " + WAIT.toMillis() + " ms before they could be read (args_regex rules see a"
                        + " process only once it runs)")
                .build();
    }
}
