package io.driftguard.daemon.bpf;

import io.driftguard.core.log.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where one daemon pins its eBPF maps and links on bpffs, so that its rules stay in force while
 * it is not running: {@code /sys/fs/bpf/driftguard/INSTANCE/GENERATION/{maps,global,cgroup/ID}/NAME}.
 * INSTANCE comes from the control socket's path, so daemons with their own sockets (tests) never
 * touch each other's pins. Each start is a new GENERATION, built from the policies of that start;
 * the earlier ones keep enforcing until {@link #retirePrevious} removes them, so a restart never
 * leaves a gap and never keeps a stale rule. Folders are 0700. Thread-safe: paths only.
 */
public final class BpfPins {
    private static final Log LOG = Log.of(BpfPins.class);
    /** Where every driftguard instance pins; bpffs is mounted at /sys/fs/bpf by systemd. */
    public static final Path ROOT = Path.of("/sys/fs/bpf/driftguard");
    private static final String ISOLATION_PIN = "dg_isolate_egress";

    private final Path instance;
    private final Path generation;
    private final List<Path> previous;

    private BpfPins(Path instance, Path generation, List<Path> previous) {
        this.instance = instance;
        this.generation = generation;
        this.previous = previous;
    }

    /** The pin folder of the daemon whose control socket is {@code controlSocket}. */
    public static Path instanceFor(Path controlSocket) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(controlSocket.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return ROOT.resolve(HexFormat.of().formatHex(digest, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Makes this start's generation folder under {@code instance}; the generations already there are the previous ones. */
    static BpfPins create(Path instance) throws IOException {
        if (!Files.isDirectory(instance.getParent().getParent())) {
            throw new IOException(instance.getParent().getParent() + " is not there (is bpffs mounted?)");
        }
        makeDir(instance.getParent());
        makeDir(instance);
        List<Path> previous;
        try (Stream<Path> entries = Files.list(instance)) {
            previous = entries.filter(Files::isDirectory).sorted().toList();
        }
        Path generation = instance.resolve("g" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid());
        makeDir(generation);
        makeDir(generation.resolve("global"));
        makeDir(generation.resolve("cgroup"));
        return new BpfPins(instance, generation, previous);
    }

    private static void makeDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    Path maps() {
        return generation.resolve("maps");
    }

    Path global(String program) {
        return generation.resolve("global").resolve(program);
    }

    /**
     * The pin of {@code program} on the cgroup {@code cgroupId}, its folder made if needed; null
     * (logged) when bpffs refuses the folder: that link then lasts only as long as the daemon.
     */
    Path cgroup(long cgroupId, String program) {
        Path dir = generation.resolve("cgroup").resolve(Long.toString(cgroupId));
        try {
            makeDir(dir);
            return dir.resolve(program);
        } catch (IOException e) {
            LOG.error("cannot make " + dir + ", so " + program + " on cgroup " + cgroupId + " will not outlive the daemon: " + e.getMessage());
            return null;
        }
    }

    /** Removes the cgroup's folder once its links are unpinned. */
    void forgetCgroup(long cgroupId) {
        removeTree(generation.resolve("cgroup").resolve(Long.toString(cgroupId)));
    }

    /** Ring buffers of earlier generations: what their programs reported while no daemon read it. */
    List<Path> previousRingBuffers() {
        List<Path> rings = new ArrayList<>();
        for (Path gen : previous) {
            Path ring = gen.resolve("maps").resolve("dg_events");
            if (Files.exists(ring)) {
                rings.add(ring);
            }
        }
        return rings;
    }

    /** Whether an earlier generation had isolated the cgroup: isolation lasts until released, across restarts. */
    boolean wasIsolated(long cgroupId) {
        return previous.stream().anyMatch(gen -> Files.exists(gen.resolve("cgroup").resolve(Long.toString(cgroupId)).resolve(ISOLATION_PIN)));
    }

    boolean hasPrevious() {
        return !previous.isEmpty();
    }

    /** Unpins every earlier generation: their programs detach and their maps go once nothing holds them. */
    void retirePrevious() {
        previous.forEach(BpfPins::removeTree);
    }

    /** A clean stop: this generation's remaining pins and the instance folder go too. */
    void removeAll() {
        retirePrevious();
        removeTree(generation);
        try {
            Files.deleteIfExists(instance);
        } catch (IOException e) {
            LOG.warn("cannot remove " + instance + ": " + e.getMessage());
        }
    }

    /** Unlinking a pin drops the kernel object's reference; bpffs folders go with rmdir. */
    private static void removeTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the pins in " + dir + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return generation.toString();
    }
}
