package io.driftguard.daemon.dockersetup;

import io.driftguard.daemon.kernel.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes dockerd read daemon.json again: SIGHUP to the pid in Docker's pidfile, which is what
 * docker.service's ExecReload does too (kill -s HUP $MAINPID). Containers keep running.
 */
public final class DockerReload {
    /** dockerd's default --pidfile. */
    static final Path DEFAULT_PIDFILE = Path.of("/var/run/docker.pid");

    private final Path pidfile;

    /** With {@code pidfile} null, dockerd's default pidfile. */
    public DockerReload(Path pidfile) {
        this.pidfile = pidfile == null ? DEFAULT_PIDFILE : pidfile;
    }

    public String reload() throws SetupException {
        int pid;
        try {
            pid = Integer.parseInt(Files.readString(pidfile).trim());
        } catch (IOException | NumberFormatException e) {
            throw new SetupException("cannot read dockerd's pid from " + pidfile + " (" + e.getMessage()
                    + "); give --pidfile, or reload dockerd by hand");
        }
        try {
            Processes.signal(pid, Processes.SIGHUP);
        } catch (IOException e) {
            throw new SetupException("cannot signal dockerd (pid " + pid + "): " + e.getMessage());
        }
        return "sent SIGHUP to dockerd (pid " + pid + ")";
    }
}
