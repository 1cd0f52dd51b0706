package io.driftguard.daemon.bpf;

import io.driftguard.core.log.Log;
import io.driftguard.daemon.kernel.LibBpf;
import io.driftguard.daemon.kernel.LibC;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Routes libbpf's messages to the daemon log and keeps the latest warnings, so that a failed load
 * can say why (the verifier's complaint comes through here, not through errno).
 */
final class LibBpfLog {
    private static final Log LOG = Log.of(LibBpfLog.class);
    private static final int KEPT = 40;
    private static final Deque<String> RECENT = new ArrayDeque<>();
    /** Held in a field: JNA callbacks must stay reachable while native code may call them. */
    private static final LibBpf.libbpf_print_fn_t PRINT = LibBpfLog::print;

    static {
        LibBpf.INSTANCE.libbpf_set_print(PRINT);
    }

    private LibBpfLog() {
    }

    /** Installs the print callback (once; class initialisation does it). */
    static void install() {
    }

    /** Forgets earlier warnings; call before an operation whose failure should quote them. */
    static synchronized void mark() {
        RECENT.clear();
    }

    /** The warnings since {@link #mark()}, one per line, or "" when there were none. */
    static synchronized String recent() {
        return RECENT.isEmpty() ? "" : "\n" + String.join("\n", RECENT);
    }

    private static int print(int level, String format, com.sun.jna.Pointer args) {
        byte[] buf = new byte[1024];
        int n = LibC.INSTANCE.vsnprintf(buf, buf.length, format, args);
        String line = new String(buf, 0, Math.max(0, Math.min(n, buf.length - 1)), StandardCharsets.UTF_8).stripTrailing();
        LOG.debug("libbpf: " + line);
        if (level == LibBpf.LIBBPF_DEBUG) {
            return 0;
        }
        synchronized (LibBpfLog.class) {
            if (RECENT.size() == KEPT) {
                RECENT.removeFirst();
            }
            RECENT.addLast(line);
        }
        return 0;
    }
}
