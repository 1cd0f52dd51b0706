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
    static final int DG_MAX_DEVS = 16;
    static final int DG_ID_LEN = 64;

    /** enum dg_event_kind. */
    static final int DG_EVENT_NETWORK = 1;
    static final int DG_EVENT_SYSCALL = 2;
    static final int DG_EVENT_EXEC = 3;
    static final int DG_EVENT_DRIFT = 4;

    /** enum dg_how; ExecMethod names each. */
    static final int DG_HOW_FILE_NAME = 1;
    static final int DG_HOW_ARGV0 = 2;
    static final int DG_HOW_BUSYBOX_APPLET = 3;
    static final int DG_HOW_LOADER_ARG = 4;
    static final int DG_HOW_MEMFD = 5;
    static final int DG_HOW_DELETED = 6;
    static final int DG_HOW_LOADER = 7;
    static final int DG_HOW_NEW_MOUNT = 8;

    /** enum dg_verdict. */
    static final int DG_VERDICT_ALERT = 1;
    static final int DG_VERDICT_ENFORCE = 2;
    static final int DG_VERDICT_HOLD = 3;

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

    @Structure.FieldOrder({"rules_id", "drift_verdict", "dev_count", "devs", "selected", "pad",
        "net_enforce", "net_any_port", "net_any_proto", "net_tcp", "net_udp", "syscall_kill", "syscall_alert", "net_allow"})
    public static final class dg_container extends Mirror {
        /** Key of the container's dg_names entries. */
        public long rules_id;
        /** 0: no drift rule; else the dg_verdict of drift kills. */
        public int drift_verdict;
        public int dev_count;
        /** Kernel dev_t of each superblock the container's files come from. */
        public int[] devs = new int[DG_MAX_DEVS];
        /** Template: 1 when a policy selects the container. */
        public int selected;
        /** Zero. */
        public int pad;
        public long net_enforce;
        public long net_any_port;
        public long net_any_proto;
        public long net_tcp;
        public long net_udp;
        public long[] syscall_kill = new long[DG_SYSCALL_WORDS];
        public long[] syscall_alert = new long[DG_SYSCALL_WORDS];
        /** Network rules that allow: a match lets the call through, whatever else matches. */
        public long net_allow;

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

    @Structure.FieldOrder({"rules_id", "name"})
    public static final class dg_name_key extends Mirror {
        /** dg_container.rules_id. */
        public long rules_id;
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

    @Structure.FieldOrder({"id"})
    public static final class dg_template_key extends Mirror {
        /** A container id in lower-case hex, not NUL-terminated. */
        public byte[] id = new byte[DG_ID_LEN];

        @Override
        String cName() {
            return "dg_template_key";
        }
    }

    @Structure.FieldOrder({"cgroup_id", "rules_id", "rules", "kind", "verdict", "pid", "tid", "uid", "syscall_nr", "name_rule",
        "how", "pad", "port", "family", "protocol", "addr", "comm", "name", "path"})
    public static final class dg_event extends Mirror {
        public long cgroup_id;
        /** exec, drift: the container's dg_container.rules_id. */
        public long rules_id;
        public long rules;
        public int kind;
        public int verdict;
        public int pid;
        public int tid;
        public int uid;
        public int syscall_nr;
        public int name_rule;
        /** exec, drift: enum dg_how. */
        public int how;
        /** Zero. */
        public int pad;
        /** Host byte order, unsigned. */
        public short port;
        public byte family;
        public byte protocol;
        /** Network byte order; IPv4 in the first 4 bytes. */
        public byte[] addr = new byte[16];
        public byte[] comm = new byte[DG_COMM_LEN];
        /** exec: the name that matched; drift: the file's own name. */
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
                new dg_name_value(), new dg_template_key(), new dg_event());
    }
}
