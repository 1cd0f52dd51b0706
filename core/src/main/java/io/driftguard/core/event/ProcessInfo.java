package io.driftguard.core.event;

import java.util.List;

/**
 * The process an event is about, as far as it is known: everything but pid and path may be absent.
 * {@code uid} is the kernel's; {@code user} is its name in the container's own /etc/passwd;
 * {@code parent} is the parent process (pid, and comm while it exists); {@code cmdline} is the
 * process's command line as /proc showed it when the event was recorded (for an exec that was
 * stopped, the caller's: the new program never ran), cut to a bounded length.
 */
public record ProcessInfo(int pid, String path, List<String> args, Integer uid, String user, Parent parent,
                          String cmdline) {
    public ProcessInfo {
        args = args == null ? null : List.copyOf(args);
    }

    public ProcessInfo(int pid, String path, List<String> args, Integer uid) {
        this(pid, path, args, uid, null, null, null);
    }

    /** A parent process: its pid, and its comm (the kernel's 15-byte name) when it could be read. */
    public record Parent(int pid, String comm) {
    }

    /** The same process with its parent's pid, known to the caller (read with the uid from /proc/PID/status). */
    public ProcessInfo withParentPid(Integer parentPid) {
        return parentPid == null ? this : new ProcessInfo(pid, path, args, uid, user, new Parent(parentPid, null), cmdline);
    }

    /** The same process with what was looked up later: user name, parent and command line (null: unknown). */
    public ProcessInfo withDetails(String userName, Parent parentProcess, String commandLine) {
        return new ProcessInfo(pid, path, args, uid, userName, parentProcess, commandLine);
    }
}
