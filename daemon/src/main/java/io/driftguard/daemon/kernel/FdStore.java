package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service's file-descriptor store (sd_pid_notify_with_fds(3), {@code FileDescriptorStoreMax=}):
 * descriptors handed to systemd with FDSTORE=1 stay open when the daemon dies, and the next start
 * gets them back as LISTEN_FDS with their FDNAME= in LISTEN_FDNAMES. Without NOTIFY_SOCKET (not
 * under systemd) storing does nothing and nothing is inherited. Thread-safe.
 */
public final class FdStore {
    private static final int SD_LISTEN_FDS_START = 3;
    /** offsetof(struct sockaddr_un, sun_path) and sizeof(sun_path). */
    private static final int SUN_PATH = 2;
    private static final int SUN_PATH_MAX = 108;
    /** struct cmsghdr: size_t cmsg_len, int cmsg_level, int cmsg_type; CMSG_LEN(sizeof(int)) and CMSG_SPACE. */
    private static final int CMSG_HEADER = 16;
    private static final int CMSG_SPACE_INT = 24;

    private final String socketPath;
    private final Map<String, Integer> inherited;

    private FdStore(String socketPath, Map<String, Integer> inherited) {
        this.socketPath = socketPath;
        this.inherited = inherited;
    }

    /** The store of this service, from NOTIFY_SOCKET and the LISTEN_* variables of {@code env}. */
    public static FdStore fromEnvironment(Map<String, String> env) {
        String socket = env.get("NOTIFY_SOCKET");
        return new FdStore(socket == null || socket.isEmpty() ? null : socket, inheritedFds(env));
    }

    /** Name to fd of every descriptor systemd passed; CLOEXEC is set on each, so helpers do not inherit them. */
    private static Map<String, Integer> inheritedFds(Map<String, String> env) {
        Map<String, Integer> fds = new LinkedHashMap<>();
        if (!Long.toString(ProcessHandle.current().pid()).equals(env.get("LISTEN_PID"))) {
            return fds;
        }
        int count;
        try {
            count = Integer.parseInt(env.getOrDefault("LISTEN_FDS", "0"));
        } catch (NumberFormatException e) {
            return fds;
        }
        List<String> names = List.of(env.getOrDefault("LISTEN_FDNAMES", "").split(":", -1));
        for (int i = 0; i < count && i < names.size(); i++) {
            fds.put(names.get(i), SD_LISTEN_FDS_START + i);
        }
        return fds;
    }

    public boolean enabled() {
        return socketPath != null;
    }

    /** Descriptors passed back under names starting with {@code prefix}, by name. */
    public synchronized Map<String, Integer> inherited(String prefix) {
        Map<String, Integer> out = new LinkedHashMap<>();
        inherited.forEach((name, fd) -> {
            if (name.startsWith(prefix)) {
                out.put(name, fd);
            }
        });
        return out;
    }

    /** Takes an inherited descriptor out of {@link #inherited}: its owner closes it from now on. */
    public synchronized void claim(String name) throws IOException {
        Integer fd = inherited.remove(name);
        if (fd != null) {
            try {
                LibC.INSTANCE.fcntl(fd, LibC.F_SETFD, LibC.FD_CLOEXEC);
            } catch (LastErrorException e) {
                throw NativeCall.failure("fcntl", "FD_CLOEXEC on fd " + fd + " (" + name + ")", e);
            }
        }
    }

    /** Hands a copy of {@code fd} to systemd under {@code name} (letters, digits, "-", "_", "."). */
    public void store(String name, int fd) throws IOException {
        send("FDSTORE=1\nFDNAME=" + name, fd);
    }

    /** Drops every descriptor stored under {@code name}. */
    public void remove(String name) throws IOException {
        send("FDSTOREREMOVE=1\nFDNAME=" + name, -1);
    }

    private void send(String state, int fd) throws IOException {
        if (socketPath == null) {
            return;
        }
        int sock;
        try {
            sock = LibC.INSTANCE.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw NativeCall.failure("socket", "AF_UNIX for NOTIFY_SOCKET", e);
        }
        try {
            byte[] path = socketPath.getBytes(StandardCharsets.UTF_8);
            if (path.length >= SUN_PATH_MAX) {
                throw new IOException("NOTIFY_SOCKET is too long: " + socketPath);
            }
            Memory address = new Memory(SUN_PATH + SUN_PATH_MAX);
            address.clear();
            address.setShort(0, (short) LibC.AF_UNIX);
            address.write(SUN_PATH, path, 0, path.length);
            if (path[0] == '@') {
                address.setByte(SUN_PATH, (byte) 0); // an abstract socket
            }
            byte[] text = state.getBytes(StandardCharsets.UTF_8);
            Memory payload = new Memory(text.length);
            payload.write(0, text, 0, text.length);
            Memory iov = new Memory(16); // struct iovec { void *iov_base; size_t iov_len; }
            iov.setPointer(0, payload);
            iov.setLong(8, text.length);
            LibC.msghdr msg = new LibC.msghdr();
            msg.msg_name = address;
            msg.msg_namelen = SUN_PATH + path.length + (path[0] == '@' ? 0 : 1);
            msg.msg_iov = iov;
            msg.msg_iovlen = 1;
            if (fd >= 0) {
                Memory control = new Memory(CMSG_SPACE_INT);
                control.clear();
                control.setLong(0, CMSG_HEADER + Integer.BYTES);
                control.setInt(8, LibC.SOL_SOCKET);
                control.setInt(12, LibC.SCM_RIGHTS);
                control.setInt(CMSG_HEADER, fd);
                msg.msg_control = control;
                msg.msg_controllen = CMSG_SPACE_INT;
            }
            LibC.INSTANCE.sendmsg(sock, msg, 0);
        } catch (LastErrorException e) {
            throw NativeCall.failure("sendmsg", "NOTIFY_SOCKET " + socketPath + " (" + state.replace('\n', ' ') + ")", e);
        } finally {
            RootedOpen.close(sock);
        }
    }
}
