package io.driftguard.daemon.kernel;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * Debian's libbpf1 ({@code libbpf.so.1}, API 1.x), C names verbatim. In 1.x every call that
 * returns a pointer returns NULL and sets errno on failure, and every call that returns an int
 * returns a negative errno; {@code io.driftguard.daemon.bpf.BpfException} turns both into
 * exceptions.
 *
 * <p>Handles ({@code struct bpf_object *}, {@code bpf_program *}, {@code bpf_map *},
 * {@code bpf_link *}, {@code ring_buffer *}, {@code btf *}) are plain {@link Pointer}s here and
 * get typed owners in the bpf package. libbpf objects are not thread-safe: one thread at a time
 * per object; map fds may be used from any thread.
 */
public interface LibBpf extends Library {
    LibBpf INSTANCE = Native.load("libbpf.so.1", LibBpf.class);

    /** {@code libbpf_print_fn_t}; {@code args} is a {@code va_list} for vsnprintf. */
    interface libbpf_print_fn_t extends Callback {
        int invoke(int level, String format, Pointer args);
    }

    /** {@code ring_buffer_sample_fn}: return 0 to go on, negative to stop the poll. */
    interface ring_buffer_sample_fn extends Callback {
        int invoke(Pointer ctx, Pointer data, NativeLong size);
    }

    /** {@code enum libbpf_print_level}: LIBBPF_WARN = 0, LIBBPF_INFO = 1, LIBBPF_DEBUG = 2. */
    int LIBBPF_DEBUG = 2;

    /** {@code BTF_KIND_*} from linux/btf.h. */
    int BTF_KIND_STRUCT = 4;
    int BTF_KIND_ENUM = 6;

    /** {@code BPF_ANY} flag of bpf_map_update_elem: create or replace. */
    long BPF_ANY = 0;

    libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn);

    int libbpf_strerror(int err, byte[] buf, NativeLong size);

    Pointer bpf_object__open_mem(Pointer obj_buf, NativeLong obj_buf_sz, Pointer opts);

    int bpf_object__load(Pointer obj);

    void bpf_object__close(Pointer obj);

    Pointer bpf_object__find_program_by_name(Pointer obj, String name);

    Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    Pointer bpf_object__next_program(Pointer obj, Pointer prog);

    String bpf_program__name(Pointer prog);

    int bpf_program__set_autoload(Pointer prog, boolean autoload);

    Pointer bpf_program__attach(Pointer prog);

    Pointer bpf_program__attach_cgroup(Pointer prog, int cgroup_fd);

    int bpf_link__destroy(Pointer link);

    /** Pins the link at {@code path} on bpffs: it stays attached after this process exits, until the pin is removed. */
    int bpf_link__pin(Pointer link, String path);

    /** Removes the link's pin (a link without one is no error). */
    int bpf_link__unpin(Pointer link);

    /** Pins every map of the loaded object as {@code path}/MAP_NAME. */
    int bpf_object__pin_maps(Pointer obj, String path);

    /** Opens a pinned object (map, program or link); returns the fd or a negative errno. */
    int bpf_obj_get(String pathname);

    int bpf_map__fd(Pointer map);

    int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    int bpf_map_delete_elem(int fd, Pointer key);

    Pointer ring_buffer__new(int map_fd, ring_buffer_sample_fn sample_cb, Pointer ctx, Pointer opts);

    /** Adds another ring buffer map to {@code rb}; not while another thread polls it. */
    int ring_buffer__add(Pointer rb, int map_fd, ring_buffer_sample_fn sample_cb, Pointer ctx);

    int ring_buffer__poll(Pointer rb, int timeout_ms);

    void ring_buffer__free(Pointer rb);

    Pointer btf__parse(String path, Pointer btf_ext);

    int btf__find_by_name_kind(Pointer btf, String type_name, int kind);

    btf_type btf__type_by_id(Pointer btf, int id);

    String btf__name_by_offset(Pointer btf, int offset);

    long btf__resolve_size(Pointer btf, int type_id);

    void btf__free(Pointer btf);

    /** {@code struct btf_type} (linux/btf.h); members or enum values follow it in memory. */
    @Structure.FieldOrder({"name_off", "info", "size_or_type"})
    final class btf_type extends Structure {
        /** Offset of the name in the string section. */
        public int name_off;
        /** Bits 0-15: vlen (member count), 24-28: kind, 31: kind_flag. */
        public int info;
        /** Union {size, type}: the size for structs, enums and ints, a type id for the rest. */
        public int size_or_type;

        public btf_type(Pointer p) {
            super(p);
            read();
        }

        public int kind() {
            return (info >>> 24) & 0x1f;
        }

        public int vlen() {
            return info & 0xffff;
        }
    }

    /** {@code struct btf_member}, {@code vlen} of them after a struct's btf_type. */
    @Structure.FieldOrder({"name_off", "type", "offset"})
    final class btf_member extends Structure {
        public int name_off;
        public int type;
        /** Bit offset (no bitfields in driftguard's structs, so kind_flag is 0). */
        public int offset;

        public btf_member(Pointer p) {
            super(p);
            read();
        }
    }

    /** {@code struct btf_enum}, {@code vlen} of them after an enum's btf_type. */
    @Structure.FieldOrder({"name_off", "val"})
    final class btf_enum extends Structure {
        public int name_off;
        public int val;

        public btf_enum(Pointer p) {
            super(p);
            read();
        }
    }
}
