package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.util.HexFormat;

/**
 * The file handle of a directory as a string key, the way fanotify reports it with
 * FAN_REPORT_DFID_NAME. overlayfs gives only non-decodable handles (AT_HANDLE_FID), so handles are
 * never opened: they are matched against those of the directories marked.
 */
public final class DirHandle {
    /** struct file_handle { u32 handle_bytes; int handle_type; unsigned char f_handle[]; }. */
    private static final int MAX_HANDLE_BYTES = 128;

    private DirHandle() {
    }

    public static String of(int dirFd) throws IOException {
        Memory handle = new Memory(8 + MAX_HANDLE_BYTES);
        handle.setInt(0, MAX_HANDLE_BYTES);
        Memory mountId = new Memory(4);
        try {
            LibC.INSTANCE.name_to_handle_at(dirFd, "", handle, mountId, LibC.AT_EMPTY_PATH | LibC.AT_HANDLE_FID);
        } catch (LastErrorException e) {
            throw NativeCall.failure("name_to_handle_at", "fd " + dirFd, e);
        }
        return key(handle, 0);
    }

    /** The key of a struct file_handle at {@code offset}. */
    static String key(Pointer buf, long offset) {
        int bytes = buf.getInt(offset);
        int type = buf.getInt(offset + 4);
        return type + ":" + HexFormat.of().formatHex(buf.getByteArray(offset + 8, bytes));
    }

    /** Bytes a struct file_handle at {@code offset} takes. */
    static int size(Pointer buf, long offset) {
        return 8 + buf.getInt(offset);
    }
}
