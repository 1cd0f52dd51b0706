package io.driftguard.daemon.bpf;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * The three libc functions this package needs, C names verbatim: a cgroup directory fd for
 * attaching, and vsnprintf for libbpf's va_list log lines. Kept here so that this package does
 * not depend on the daemon's own libc binding; they can move into it unchanged.
 */
interface NativeC extends Library {
    NativeC INSTANCE = Native.load("c", NativeC.class);

    int O_RDONLY = 0;
    int O_DIRECTORY = 0x10000;
    int O_CLOEXEC = 0x80000;

    int open(String pathname, int flags);

    int close(int fd);

    int vsnprintf(byte[] str, NativeLong size, String format, Pointer ap);
}
