package io.driftguard.daemon.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * procfs (proc(5)), read and parsed in one place. A process may exit at any moment, so what is
 * read of one process comes back empty (null, an empty list) once it is gone instead of failing.
 */
public final class ProcFs {
    /**
     * A line of /proc/PID/mountinfo: mount id, mount point (as the process sees it), file system
     * type, and the file system's device as the kernel numbers it (MKDEV(major, minor), that is
     * super_block.s_dev, which BPF programs compare).
     */
    /** One line of mountinfo: {@code root} is the mount's root within its file system; {@code readOnly} its per-mount "ro". */
    public record Mount(long id, long parent, String mountPoint, String root, String fsType, int device, boolean readOnly) {
    }

    private ProcFs() {
    }

    /** The root directory of a process, as a path to open (RootedOpen.openRoot). */
    public static String root(int pid) {
        return "/proc/" + pid + "/root";
    }

    /** The link to what a process executes; statx follows it even into another mount namespace. */
    public static String exe(int pid) {
        return "/proc/" + pid + "/exe";
    }

    /** A path naming one of this process's open descriptors; opening it opens that file anew. */
    public static String fd(int fd) {
        return "/proc/self/fd/" + fd;
    }

    /** What a process executes, as its own mount namespace names it; null when it is gone. */
    public static String exePath(int pid) {
        try {
            return Files.readSymbolicLink(Path.of(exe(pid))).toString();
        } catch (IOException gone) {
            return null;
        }
    }

    /** A process's arguments (argv) from /proc/PID/cmdline; empty when it is gone. */
    public static List<String> cmdline(int pid) {
        try {
            return splitNul(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")));
        } catch (IOException gone) {
            return List.of();
        }
    }

    /** cmdline's NUL-terminated strings; a last one without its NUL counts too. */
    static List<String> splitNul(byte[] raw) {
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i == raw.length ? i > start : raw[i] == 0) {
                args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return args;
    }

    /** The real uid of a process (first value of "Uid:" in /proc/PID/status); null when it is gone. */
    public static Integer uid(int pid) {
        return statusNumber(pid, "Uid");
    }

    /** A process's real uid and parent pid, from one read of /proc/PID/status; nulls when it is gone. */
    public record Ids(Integer uid, Integer ppid) {
    }

    /** The uid and parent of a process, read at once (the decision path reads the file once either way). */
    public static Ids ids(int pid) {
        try {
            List<String> status = Files.readAllLines(Path.of("/proc/" + pid + "/status"));
            return new Ids(number(statusField(status, "Uid")), number(statusField(status, "PPid")));
        } catch (IOException gone) {
            return new Ids(null, null);
        }
    }

    private static Integer number(Optional<String> field) {
        try {
            return field.map(Integer::parseInt).orElse(null);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A process's comm (its name, at most 15 bytes, chosen by the process); null when it is gone. */
    public static String comm(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm"), StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException gone) {
            return null;
        }
    }

    /** The parent of a process ("PPid:" in /proc/PID/status); null when it is gone. */
    public static Integer ppid(int pid) {
        return statusNumber(pid, "PPid");
    }

    private static Integer statusNumber(int pid, String key) {
        try {
            return statusField(Files.readAllLines(Path.of("/proc/" + pid + "/status")), key)
                    .map(Integer::parseInt).orElse(null);
        } catch (IOException | NumberFormatException gone) {
            return null;
        }
    }

    /** The first value of a "Key:\tvalue..." line of /proc/PID/status. */
    static Optional<String> statusField(List<String> status, String key) {
        String prefix = key + ":";
        for (String line : status) {
            if (line.startsWith(prefix)) {
                String[] values = line.substring(prefix.length()).trim().split("\\s+");
                return values[0].isEmpty() ? Optional.empty() : Optional.of(values[0]);
            }
        }
        return Optional.empty();
    }

    /** The mounts a process sees (/proc/PID/mountinfo). */
    public static List<Mount> mounts(long pid) throws IOException {
        return mountinfo(Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo")));
    }

    /** The mounts of this process's own mount namespace. */
    public static List<Mount> ownMounts() throws IOException {
        return mountinfo(Files.readAllLines(Path.of("/proc/self/mountinfo")));
    }

    /** Parses mountinfo lines; lines it cannot read are left out. */
    public static List<Mount> mountinfo(List<String> lines) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : lines) {
            // id parent major:minor root mount-point options [optional...] - fstype source super-options
            String[] fields = line.split(" ");
            int dash = List.of(fields).indexOf("-");
            if (fields.length < 5 || dash < 5 || dash + 1 >= fields.length) {
                continue;
            }
            try {
                String[] dev = fields[2].split(":");
                int device = (Integer.parseInt(dev[0]) << 20) | Integer.parseInt(dev[1]);
                mounts.add(new Mount(Long.parseLong(fields[0]), Long.parseLong(fields[1]), unescape(fields[4]), unescape(fields[3]),
                        fields[dash + 1], device, List.of(fields[5].split(",")).contains("ro")));
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException unreadable) {
                // Not a mountinfo line.
            }
        }
        return mounts;
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

    /** The cgroup v2 path of a process ("0::PATH" in /proc/PID/cgroup), e.g. /docker/ID. */
    public static Optional<String> cgroup2Path(long pid) throws IOException {
        return cgroup2Path(Files.readAllLines(Path.of("/proc/" + pid + "/cgroup")));
    }

    static Optional<String> cgroup2Path(List<String> procCgroup) {
        for (String line : procCgroup) {
            if (line.startsWith("0::")) {
                return Optional.of(line.substring(3));
            }
        }
        return Optional.empty();
    }
}
