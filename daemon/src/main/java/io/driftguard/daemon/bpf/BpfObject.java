package io.driftguard.daemon.bpf;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.driftguard.daemon.kernel.LibBpf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/**
 * A loaded {@code struct bpf_object}: its programs and maps live until {@link #close()}. Not
 * thread-safe (libbpf objects are not); callers serialise.
 */
final class BpfObject implements AutoCloseable {
    private static final LibBpf BPF = LibBpf.INSTANCE;

    private final String name;
    /** libbpf reads the ELF image from this buffer until the object is closed. */
    private final Memory image;
    private Pointer obj;

    private BpfObject(String name, Memory image, Pointer obj) {
        this.name = name;
        this.image = image;
        this.obj = obj;
    }

    /**
     * Opens the object compiled into the class path resource {@code resource} and loads only the
     * named programs (all when {@code programs} is null).
     */
    static BpfObject load(String resource, Set<String> programs) throws BpfException {
        LibBpfLog.install();
        Memory image = readResource(resource);
        LibBpfLog.mark();
        Pointer obj = BpfException.check(BPF.bpf_object__open_mem(image, new NativeLong(image.size()), null),
                "bpf_object__open_mem", resource);
        BpfObject object = new BpfObject(resource, image, obj);
        try {
            if (programs != null) {
                for (Pointer p = BPF.bpf_object__next_program(obj, null); p != null; p = BPF.bpf_object__next_program(obj, p)) {
                    BPF.bpf_program__set_autoload(p, programs.contains(BPF.bpf_program__name(p)));
                }
            }
            int rc = BPF.bpf_object__load(obj);
            if (rc < 0) {
                throw new BpfException("bpf_object__load", resource + " " + (programs == null ? "" : programs), -rc,
                        LibBpfLog.recent());
            }
            return object;
        } catch (BpfException | RuntimeException e) {
            object.close();
            throw e;
        }
    }

    Pointer program(String program) {
        Pointer p = BPF.bpf_object__find_program_by_name(obj, program);
        if (p == null) {
            throw new IllegalArgumentException("no program " + program + " in " + name);
        }
        return p;
    }

    BpfMap map(String map) {
        Pointer m = BPF.bpf_object__find_map_by_name(obj, map);
        if (m == null) {
            throw new IllegalArgumentException("no map " + map + " in " + name);
        }
        return new BpfMap(map, BPF.bpf_map__fd(m));
    }

    /** Attaches a tracing program (tp_btf, raw_tp, kprobe, fentry, lsm) where its section says. */
    BpfLink attach(String program) throws BpfException {
        return new BpfLink(program, BpfException.check(BPF.bpf_program__attach(program(program)), "bpf_program__attach", program));
    }

    /** Attaches a cgroup program to the cgroup open as {@code cgroupFd}. */
    BpfLink attachCgroup(String program, int cgroupFd, String cgroupPath) throws BpfException {
        Pointer link = BpfException.check(BPF.bpf_program__attach_cgroup(program(program), cgroupFd),
                "bpf_program__attach_cgroup", program + " to " + cgroupPath);
        return new BpfLink(program + " on " + cgroupPath, link);
    }

    /** Pins every map as {@code dir}/NAME (libbpf makes the folder, 0700). */
    void pinMaps(java.nio.file.Path dir) throws BpfException {
        BpfException.check(BPF.bpf_object__pin_maps(obj, dir.toString()), "bpf_object__pin_maps", dir.toString());
    }

    @Override
    public void close() {
        if (obj != null) {
            BPF.bpf_object__close(obj);
            obj = null;
        }
    }

    private static Memory readResource(String resource) {
        try (InputStream in = BpfObject.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("BPF object " + resource + " missing from the class path (built by src/main/bpf/build.sh)");
            }
            byte[] bytes = in.readAllBytes();
            Memory memory = new Memory(bytes.length);
            memory.write(0, bytes, 0, bytes.length);
            return memory;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }
}
