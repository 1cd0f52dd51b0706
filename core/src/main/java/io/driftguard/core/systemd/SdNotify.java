package io.driftguard.core.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Tells systemd about the service's state ({@code Type=notify}): READY=1, STATUS=, WATCHDOG=1,
 * RELOADING=1, STOPPING=1. Without NOTIFY_SOCKET (not started by systemd) every call does nothing.
 */
public final class SdNotify implements AutoCloseable {
    private final UnixDatagram socket;

    private SdNotify(UnixDatagram socket) {
        this.socket = socket;
    }

    public static SdNotify fromEnvironment() throws IOException {
        String path = System.getenv("NOTIFY_SOCKET");
        return new SdNotify(path == null || path.isEmpty() ? null : new UnixDatagram(path));
    }

    public boolean enabled() {
        return socket != null;
    }

    /** Sends newline-separated assignments such as "READY=1\nSTATUS=watching 3 containers". */
    public void send(String state) throws IOException {
        if (socket != null) {
            socket.send(state.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The watchdog interval systemd asked for, in microseconds, or 0. */
    public static long watchdogMicros() {
        String usec = System.getenv("WATCHDOG_USEC");
        String pid = System.getenv("WATCHDOG_PID");
        if (usec == null || (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid())))) {
            return 0;
        }
        try {
            return Long.parseLong(usec);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }
}
