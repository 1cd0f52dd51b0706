package io.driftguard.daemon.enforce;

import io.driftguard.daemon.kernel.FdInputStream;
import io.driftguard.daemon.kernel.FileStat;
import io.driftguard.daemon.kernel.LibC;
import io.driftguard.daemon.kernel.ProcFs;
import io.driftguard.daemon.kernel.RootedOpen;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * User names as a container knows them: its own /etc/passwd, read through /proc/PID/root with
 * {@link RootedOpen} (symlinks stay inside the container; a FIFO or device is not read, nor more
 * than 1 MiB), and kept per container for a short while. One thread (the event writer) uses it.
 */
final class ContainerUsers {
    private static final Duration FRESH = Duration.ofSeconds(30);
    private static final int MAX_CONTAINERS = 256;
    private static final int MAX_BYTES = 1 << 20;
    private static final int MAX_NAME = 64;

    private record Users(Instant read, Map<Integer, String> names) {
    }

    private final Map<String, Users> byContainer = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Users> eldest) {
            return size() > MAX_CONTAINERS;
        }
    };

    /** The name of {@code uid} in the container whose process {@code pid} is; null when it has none or it cannot be read. */
    String name(String containerId, int pid, int uid, Instant now) {
        Users users = byContainer.get(containerId);
        if (users == null || users.read().plus(FRESH).isBefore(now)) {
            users = new Users(now, read(pid));
            byContainer.put(containerId, users);
        }
        return users.names().get(uid);
    }

    private static Map<Integer, String> read(int pid) {
        int root;
        try {
            root = RootedOpen.openRoot(ProcFs.root(pid));
        } catch (IOException gone) {
            return Map.of();
        }
        try {
            int fd = RootedOpen.open(root, "/etc/passwd", LibC.O_RDONLY | LibC.O_NONBLOCK /* never hang on a FIFO */);
            try (InputStream in = new FdInputStream(fd)) {
                return FileStat.of(fd).isRegularFile()
                        ? parse(new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8)) : Map.of();
            } finally {
                RootedOpen.close(fd);
            }
        } catch (IOException none) {
            return Map.of();
        } finally {
            RootedOpen.close(root);
        }
    }

    /** passwd(5) lines "name:password:uid:..."; the first name of a uid wins, as getpwuid(3) finds it. */
    static Map<Integer, String> parse(String passwd) {
        Map<Integer, String> names = new HashMap<>();
        for (String line : passwd.split("\n")) {
            String[] fields = line.split(":", 4);
            if (fields.length < 4 || fields[0].isEmpty() || fields[0].length() > MAX_NAME) {
                continue;
            }
            try {
                names.putIfAbsent(Integer.parseInt(fields[2]), fields[0]);
            } catch (NumberFormatException notANumber) {
                // Not a passwd line.
            }
        }
        return names;
    }
}
