package io.driftguard.daemon.enforce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The mounts of a container, from /proc/PID/mountinfo, that can hold something to execute. */
final class ContainerMounts {
    /** A mount inside the container: its id, where it is mounted (inside the container), its type. */
    record Mount(long id, String mountPoint, String fsType) {
    }

    private static final Set<String> NOT_EXECUTABLE = Set.of(
            "proc", "sysfs", "cgroup", "cgroup2", "devpts", "mqueue", "securityfs", "debugfs", "tracefs", "bpf");

    private ContainerMounts() {
    }

    static List<Mount> of(int pid) throws IOException {
        List<Mount> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo"))) {
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
            mounts.add(new Mount(Long.parseLong(fields[0]), mountPoint, fsType));
        }
        return mounts;
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
