package io.driftguard.daemon.enforce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The mounts of a container, from /proc/PID/mountinfo, that can hold something to execute. */
final class ContainerMounts {
    /**
     * A mount inside the container: its id, where it is mounted (inside the container), its type,
     * and its file system's device as the kernel holds it (MKDEV(major, minor), super_block.s_dev).
     */
    record Mount(long id, String mountPoint, String fsType, int device) {
    }

    private static final Set<String> NOT_EXECUTABLE = Set.of(
            "proc", "sysfs", "cgroup", "cgroup2", "devpts", "mqueue", "securityfs", "debugfs", "tracefs", "bpf");

    private ContainerMounts() {
    }

    static List<Mount> of(int pid) throws IOException {
        return parse(Path.of("/proc/" + pid + "/mountinfo"));
    }

    /** The file systems mounted in the host's mount namespace (that of pid 1), kernel dev_t. */
    static Set<Integer> hostDevices() throws IOException {
        Set<Integer> devices = new java.util.HashSet<>();
        parse(Path.of("/proc/1/mountinfo")).forEach(m -> devices.add(m.device()));
        return devices;
    }

    private static List<Mount> parse(Path mountinfo) throws IOException {
        List<Mount> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(mountinfo)) {
            // id parent major:minor root mount-point options [optional...] - fstype source super-options
            String[] fields = line.split(" ");
            int dash = List.of(fields).indexOf("-");
            if (fields.length < 5 || dash < 0 || dash + 1 >= fields.length) {
                continue;
            }
            String mountPoint = unescape(fields[4]);
            String fsType = fields[dash + 1];
            if (NOT_EXECUTABLE.contains(fsType) || under(mountPoint, "/proc") || under(mountPoint, "/sys")) {
                continue;
            }
            String[] dev = fields[2].split(":");
            int device = (Integer.parseInt(dev[0]) << 20) | Integer.parseInt(dev[1]);
            mounts.add(new Mount(Long.parseLong(fields[0]), mountPoint, fsType, device));
        }
        return mounts;
    }

    /** The distinct file systems of the container's mounts (kernel dev_t), the root's first. */
    static List<Integer> devices(int pid) throws IOException {
        return of(pid).stream().map(Mount::device).distinct().toList();
    }

    private static boolean under(String path, String dir) {
        return path.equals(dir) || path.startsWith(dir + "/");
    }

    /** mountinfo escapes space, tab, newline and backslash as octal (\040). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
