package io.driftguard.daemon.bpf;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.util.List;

/**
 * Java twin of {@code src/main/bpf/driftguard.h}, C names verbatim. StructLayoutTest compares every
 * struct here (field names, offsets, sizes) and every enum constant with the BTF of the compiled
 * object, so a change on one side alone fails the build.
 */
final class DriftguardH {
    static final int DG_MAX_NET_RULES = 64;
    static final int DG_SYSCALL_WORDS = 8;
    static final int DG_NAME_LEN = 32;
    static final int DG_PATH_LEN = 128;
    static final int DG_COMM_LEN = 16;

    /** enum dg_event_kind. */
    static final int DG_EVENT_NETWORK = 1;
    static final int DG_EVENT_SYSCALL = 2;
    static final int DG_EVENT_EXEC = 3;

    /** enum dg_verdict. */
    static final int DG_VERDICT_ALERT = 1;
    static final int DG_VERDICT_ENFORCE = 2;

    private DriftguardH() {
    }

    /** A struct mirrored from C; the layout test reads its C name and field offsets. */
    abstract static class Mirror extends Structure {
        Mirror() {
        }

        Mirror(Pointer p) {
            super(p);
        }

        abstract String cName();

        int offsetOf(String field) {
            return fieldOffset(field);
        }

        List<String> fieldNames() {
            return getFieldOrder();
        }
    }

    @Structure.FieldOrder({"net_enforce", "net_any_port", "net_any_proto", "net_tcp", "net_udp", "syscall_kill", "syscall_alert"})
    public static final class dg_container extends Mirror {
        public long net_enforce;
        public long net_any_port;
        public long net_any_proto;
        public long net_tcp;
        public long net_udp;
        public long[] syscall_kill = new long[DG_SYSCALL_WORDS];
        public long[] syscall_alert = new long[DG_SYSCALL_WORDS];

        @Override
        String cName() {
            return "dg_container";
        }
    }

    @Structure.FieldOrder({"prefixlen", "cgroup_id", "addr"})
    public static final class dg_lpm4_key extends Mirror {
        public int prefixlen;
        /** Native byte order. */
        public byte[] cgroup_id = new byte[8];
        /** Network byte order. */
        public byte[] addr = new byte[4];

        @Override
        String cName() {
            return "dg_lpm4_key";
        }
    }

    @Structure.FieldOrder({"prefixlen", "cgroup_id", "addr"})
    public static final class dg_lpm6_key extends Mirror {
        public int prefixlen;
        public byte[] cgroup_id = new byte[8];
        public byte[] addr = new byte[16];

        @Override
        String cName() {
            return "dg_lpm6_key";
        }
    }

    @Structure.FieldOrder({"cgroup_id", "port", "pad"})
    public static final class dg_port_key extends Mirror {
        public long cgroup_id;
        /** Host byte order. */
        public short port;
        /** Zero: part of the hash key. */
        public short[] pad = new short[3];

        @Override
        String cName() {
            return "dg_port_key";
        }
    }

    @Structure.FieldOrder({"cgroup_id", "name"})
    public static final class dg_name_key extends Mirror {
        public long cgroup_id;
        /** NUL-padded. */
        public byte[] name = new byte[DG_NAME_LEN];

        @Override
        String cName() {
            return "dg_name_key";
        }
    }

    @Structure.FieldOrder({"verdict", "rule"})
    public static final class dg_name_value extends Mirror {
        public int verdict;
        public int rule;

        @Override
        String cName() {
            return "dg_name_value";
        }
    }

    @Structure.FieldOrder({"cgroup_id", "rules", "kind", "verdict", "pid", "tid", "uid", "syscall_nr", "name_rule",
        "port", "family", "protocol", "addr", "comm", "name", "path"})
    public static final class dg_event extends Mirror {
        public long cgroup_id;
        public long rules;
        public int kind;
        public int verdict;
        public int pid;
        public int tid;
        public int uid;
        public int syscall_nr;
        public int name_rule;
        /** Host byte order, unsigned. */
        public short port;
        public byte family;
        public byte protocol;
        /** Network byte order; IPv4 in the first 4 bytes. */
        public byte[] addr = new byte[16];
        public byte[] comm = new byte[DG_COMM_LEN];
        /** exec: the name that matched. */
        public byte[] name = new byte[DG_NAME_LEN];
        /** exec: the file given to execve; network, syscall: the executable, right-aligned after NULs. */
        public byte[] path = new byte[DG_PATH_LEN];

        public dg_event() {
        }

        /** Reads a ring buffer record in place. */
        public dg_event(Pointer p) {
            super(p);
            read();
        }

        @Override
        String cName() {
            return "dg_event";
        }
    }

    /** Every mirrored struct, for the layout test. */
    static List<Mirror> all() {
        return List.of(new dg_container(), new dg_lpm4_key(), new dg_lpm6_key(), new dg_port_key(), new dg_name_key(),
                new dg_name_value(), new dg_event());
    }
}
