package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * systemd socket activation (sd_listen_fds(3)): the listening sockets start at fd 3, LISTEN_FDS
 * says how many and LISTEN_PID for whom. The JDK can wrap a listening socket only as its
 * inherited channel, fd 0, so the one wanted is moved there before anything asks for it.
 */
public final class SocketActivation {
    private static final int SD_LISTEN_FDS_START = 3;

    private SocketActivation() {
    }

    /**
     * Moves the socket systemd passed under {@code name} (FileDescriptorName=, by default the
     * socket unit's name) to fd 0; false when this process was given none.
     */
    public static boolean moveToInherited(String name, Map<String, String> env) throws IOException {
        if (!Long.toString(ProcessHandle.current().pid()).equals(env.get("LISTEN_PID"))) {
            return false;
        }
        int count;
        try {
            count = Integer.parseInt(env.getOrDefault("LISTEN_FDS", "0"));
        } catch (NumberFormatException e) {
            throw new IOException("LISTEN_FDS is not a number: '" + env.get("LISTEN_FDS") + "'");
        }
        List<String> names = List.of(env.getOrDefault("LISTEN_FDNAMES", "").split(":"));
        int index = names.indexOf(name);
        if (index < 0 && count == 1) {
            index = 0;
        }
        if (index < 0 || index >= count) {
            return false;
        }
        int fd = SD_LISTEN_FDS_START + index;
        try {
            LibC.INSTANCE.dup2(fd, 0);
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            throw NativeCall.failure("dup2", "fd " + fd + " to 0", e);
        }
        return true;
    }
}
