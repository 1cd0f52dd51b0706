package io.driftguard.daemon.files;

import io.driftguard.core.fs.TrustedPath;
import io.driftguard.core.log.Log;
import io.driftguard.core.model.ContainerId;
import io.driftguard.daemon.kernel.ProcFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Read-only bind mounts inside containers for protected paths, made by the driftguard-protect
 * helper (built from src/main/c). Root runs it only from the package's read-only folder
 * ({@code [daemon] helpers_dir}), and only while it and every folder above are trusted as sshd's
 * StrictModes would: never from a copy in a writable state folder. Counted per container and
 * path, so that a sensor replaced on reload, which protects before the old one releases, never
 * leaves a path writable or stacks a mount that stays.
 */
public final class ReadOnlyMounts {
    private static final Log LOG = Log.of(ReadOnlyMounts.class);
    static final String HELPER = "driftguard-protect";

    private final Path helper;
    private final Map<String, Integer> counts = new HashMap<>();

    private ReadOnlyMounts(Path helper) {
        this.helper = helper;
    }

    /** The helper in {@code helpersDir}, which must exist and be trusted. */
    public static ReadOnlyMounts at(Path helpersDir) throws IOException {
        Path helper = helpersDir.resolve(HELPER);
        if (!Files.isRegularFile(helper) || !Files.isExecutable(helper)) {
            throw new IOException("no executable " + HELPER + " helper at " + helper + " (the package installs it;"
                    + " [daemon] helpers_dir names another folder)");
        }
        TrustedPath.require(helper);
        return new ReadOnlyMounts(helper);
    }

    /**
     * Makes {@code path} read-only in the container of {@code pid}. The first protect of a path by
     * this run adopts the mount that an earlier run (killed before it could release) left there,
     * rather than stacking another, and detaches any extra copies.
     */
    public synchronized void protect(int pid, ContainerId containerId, String path) throws IOException {
        String key = containerId + ":" + path;
        int count = counts.getOrDefault(key, 0);
        if (count == 0) {
            int earlier = earlierMounts(ProcFs.mounts(pid), path);
            if (earlier == 0) {
                run(pid, "protect", path);
            } else {
                LOG.info("container " + containerId.shortForm() + ": adopted the read-only mount at " + path + " left by an earlier run"
                        + (earlier > 1 ? "; " + (earlier - 1) + " stacked copies detached" : ""));
                for (int extra = 1; extra < earlier; extra++) {
                    run(pid, "release", path);
                }
            }
        }
        counts.put(key, count + 1);
    }

    /**
     * How many of protect's mounts are stacked at {@code path}: read-only mounts there whose
     * parent is a mount of the same file system (a bind of the path onto itself).
     */
    static int earlierMounts(List<ProcFs.Mount> mounts, String path) {
        Map<Long, ProcFs.Mount> byId = new HashMap<>();
        mounts.forEach(m -> byId.put(m.id(), m));
        int count = 0;
        for (ProcFs.Mount mount : mounts) {
            ProcFs.Mount parent = byId.get(mount.parent());
            if (mount.mountPoint().equals(path) && mount.readOnly() && parent != null && parent.device() == mount.device()) {
                count++;
            }
        }
        return count;
    }

    public synchronized void release(int pid, ContainerId containerId, String path) {
        String key = containerId + ":" + path;
        int count = counts.getOrDefault(key, 0);
        if (count > 1) {
            counts.put(key, count - 1);
            return;
        }
        counts.remove(key);
        try {
            run(pid, "release", path);
        } catch (IOException e) {
            // The container is usually gone, and its mounts with it.
            LOG.debug("releasing " + path + " in pid " + pid + ": " + e.getMessage());
        }
    }

    private void run(int pid, String verb, String path) throws IOException {
        // Checked again at each run: root must not run a helper someone could replace since start.
        TrustedPath.require(helper);
        Process process = new ProcessBuilder(List.of(helper.toString(), Integer.toString(pid), verb, path))
                .redirectErrorStream(true).start();
        try {
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("driftguard-protect " + verb + " " + path + ": " + new String(out, StandardCharsets.UTF_8).trim());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running driftguard-protect", e);
        }
    }
}
