package io.driftguard.daemon.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import io.driftguard.daemon.kernel.LibBpf;
import io.driftguard.daemon.kernel.LibC;

/** A map of a loaded object, by fd. Map calls are safe from any thread. */
final class BpfMap {
    private static final LibBpf BPF = LibBpf.INSTANCE;

    private final String name;
    private final int fd;

    BpfMap(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    int fd() {
        return fd;
    }

    /** A map pinned at {@code path}, by a new fd that the caller closes. */
    static BpfMap openPinned(java.nio.file.Path path) throws BpfException {
        return new BpfMap(path.toString(), BpfException.check(BPF.bpf_obj_get(path.toString()), "bpf_obj_get", path.toString()));
    }

    @Override
    public String toString() {
        return name;
    }

    void put(Structure key, Structure value) throws BpfException {
        value.write();
        put(key, value.getPointer());
    }

    void put(Structure key, long value) throws BpfException {
        Memory v = new Memory(Long.BYTES);
        v.setLong(0, value);
        put(key, v);
    }

    void put(long key, Structure value) throws BpfException {
        value.write();
        BpfException.check(BPF.bpf_map_update_elem(fd, longValue(key), value.getPointer(), LibBpf.BPF_ANY),
                "bpf_map_update_elem", name + " key " + key);
    }

    /** Writes the value at a __u32 index of an array map. */
    void putAt(int index, Structure value) throws BpfException {
        value.write();
        Memory k = new Memory(Integer.BYTES);
        k.setInt(0, index);
        BpfException.check(BPF.bpf_map_update_elem(fd, k, value.getPointer(), LibBpf.BPF_ANY),
                "bpf_map_update_elem", name + " index " + index);
    }

    private void put(Structure key, Pointer value) throws BpfException {
        key.write();
        BpfException.check(BPF.bpf_map_update_elem(fd, key.getPointer(), value, LibBpf.BPF_ANY),
                "bpf_map_update_elem", name + " key " + key.getClass().getSimpleName());
    }

    /** Deletes the key; a key that is not there is no error. */
    void delete(Structure key) throws BpfException {
        key.write();
        delete(key.getPointer(), key.getClass().getSimpleName());
    }

    void delete(long key) throws BpfException {
        delete(longValue(key), Long.toString(key));
    }

    /** The __u64 value at a __u32 key of an array map. */
    long getLong(int key) throws BpfException {
        Memory k = new Memory(Integer.BYTES);
        k.setInt(0, key);
        Memory v = new Memory(Long.BYTES);
        BpfException.check(BPF.bpf_map_lookup_elem(fd, k, v), "bpf_map_lookup_elem", name + " key " + key);
        return v.getLong(0);
    }

    private void delete(Pointer key, String what) throws BpfException {
        int rc = BPF.bpf_map_delete_elem(fd, key);
        if (rc < 0 && rc != -LibC.ENOENT) {
            BpfException.check(rc, "bpf_map_delete_elem", name + " key " + what);
        }
    }

    private static Memory longValue(long value) {
        Memory m = new Memory(Long.BYTES);
        m.setLong(0, value);
        return m;
    }
}
