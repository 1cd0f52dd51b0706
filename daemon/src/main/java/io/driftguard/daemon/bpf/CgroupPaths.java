package io.driftguard.daemon.bpf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a process's cgroup v2 directory is, and its cgroup id. The cgroup2 mount is
 * {@code /sys/fs/cgroup} on pure v2 hosts and {@code /sys/fs/cgroup/unified} on hybrid ones, so
 * it is read from mountinfo rather than assumed. Docker with cgroupfs v1 still places container
 * processes in the unified hierarchy ({@code 0::/docker/<id>}), which is what BPF sees.
 */
public final class CgroupPaths {
    private CgroupPaths() {
    }

    /** The cgroup2 mount point of this mount namespace. */
    public static Path cgroup2Mount() throws IOException {
        return cgroup2Mount(Files.readAllLines(Path.of("/proc/self/mountinfo")));
    }

    static Path cgroup2Mount(List<String> mountinfo) throws IOException {
        for (String line : mountinfo) {
            // "36 25 0:30 / /sys/fs/cgroup rw,... shared:9 - cgroup2 cgroup2 rw": fields 4 and after " - "
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] before = line.substring(0, dash).split(" ");
            String[] after = line.substring(dash + 3).split(" ");
            if (after.length > 0 && after[0].equals("cgroup2") && before.length > 4) {
                return Path.of(unescape(before[4]));
            }
        }
        throw new IOException("no cgroup2 file system mounted (/proc/self/mountinfo): cgroup v2 is needed for eBPF rules");
    }

    /** The cgroup v2 directory of a process (host pid), e.g. /sys/fs/cgroup/unified/docker/ID. */
    public static Path cgroupDirOf(long pid) throws IOException {
        return cgroupDirOf(cgroup2Mount(), Files.readAllLines(Path.of("/proc", Long.toString(pid), "cgroup")), pid);
    }

    static Path cgroupDirOf(Path mount, List<String> procCgroup, long pid) throws IOException {
        for (String line : procCgroup) {
            if (line.startsWith("0::")) {
                String relative = line.substring(3);
                return relative.equals("/") ? mount : mount.resolve(relative.substring(1));
            }
        }
        throw new IOException("/proc/" + pid + "/cgroup has no cgroup v2 line (0::)");
    }

    /** The cgroup id BPF sees (bpf_get_current_cgroup_id): the directory's inode number in cgroup2. */
    public static long cgroupId(Path cgroupDir) throws IOException {
        return (Long) Files.getAttribute(cgroupDir, "unix:ino");
    }

    /** mountinfo escapes space, tab, newline and backslash as \ooo. */
    private static String unescape(String field) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
