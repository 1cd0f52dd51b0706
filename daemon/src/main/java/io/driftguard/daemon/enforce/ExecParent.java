package io.driftguard.daemon.enforce;

import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.policy.RuleExceptions;
import java.util.function.Supplier;

/**
 * The program that starts an exec, for rule exceptions: the caller as it is while the kernel waits
 * for the answer, before the new program replaces it (its name, /proc/PID/comm, and executable,
 * /proc/PID/exe). After fork and exec that is the new program's parent (the shell running
 * healthcheck.sh, named "healthcheck.sh"); after an exec in place, its former self. Read from
 * procfs (kernel memory, no disk) once per decision, and only when a matching rule has parent
 * exceptions. A process can change its own name (prctl PR_SET_NAME); not its executable.
 */
final class ExecParent {
    private ExecParent() {
    }

    /** A supplier that reads the caller {@code pid} on first use; fields are null when it is gone. */
    static Supplier<RuleExceptions.Parent> of(int pid) {
        return new Supplier<>() {
            private RuleExceptions.Parent parent;

            @Override
            public RuleExceptions.Parent get() {
                if (parent == null) {
                    parent = new RuleExceptions.Parent(ProcFs.exePath(pid), ProcFs.comm(pid));
                }
                return parent;
            }
        };
    }
}
