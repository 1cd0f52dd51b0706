package io.driftguard.daemon.dockersetup;

import io.driftguard.daemon.kernel.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Makes dockerd read daemon.json again: {@code systemctl reload docker} where systemd runs Docker,
 * else SIGHUP to the pid in Docker's pidfile. Both keep containers running.
 */
public final class DockerReload {
    private final Path pidfile;

    /** With {@code pidfile} null, systemd's docker.service is reloaded. */
    public DockerReload(Path pidfile) {
        this.pidfile = pidfile;
    }

    public String reload() throws SetupException {
        if (pidfile == null && Files.isDirectory(Path.of("/run/systemd/system"))) {
            return systemctl();
        }
        Path file = pidfile == null ? Path.of("/var/run/docker.pid") : pidfile;
        int pid;
        try {
            pid = Integer.parseInt(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            throw new SetupException("cannot read dockerd's pid from " + file + " (" + e.getMessage() + "); reload it by hand");
        }
        try {
            Processes.signal(pid, Processes.SIGHUP);
        } catch (IOException e) {
            throw new SetupException("cannot signal dockerd (pid " + pid + "): " + e.getMessage());
        }
        return "sent SIGHUP to dockerd (pid " + pid + ")";
    }

    private static String systemctl() throws SetupException {
        try {
            Process process = new ProcessBuilder("systemctl", "reload", "docker.service").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new SetupException("systemctl reload docker.service failed: " + output);
            }
            return "reloaded docker.service";
        } catch (IOException e) {
            throw new SetupException("cannot run systemctl: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SetupException("interrupted while reloading docker.service");
        }
    }
}
