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
    private static final LibC.Struct FILE_HANDLE = new LibC.file_handle();
    private static final int HANDLE_BYTES = FILE_HANDLE.offsetOf("handle_bytes");
    private static final int HANDLE_TYPE = FILE_HANDLE.offsetOf("handle_type");
    /** Where the flexible f_handle[] starts. */
    private static final int F_HANDLE = FILE_HANDLE.size();

    private DirHandle() {
    }

    public static String of(int dirFd) throws IOException {
        Memory handle = new Memory(F_HANDLE + LibC.MAX_HANDLE_SZ);
        handle.setInt(HANDLE_BYTES, LibC.MAX_HANDLE_SZ);
        Memory mountId = new Memory(Integer.BYTES);
        try {
            LibC.INSTANCE.name_to_handle_at(dirFd, "", handle, mountId, LibC.AT_EMPTY_PATH | LibC.AT_HANDLE_FID);
        } catch (LastErrorException e) {
            throw NativeCall.failure("name_to_handle_at", "fd " + dirFd, e);
        }
        return key(handle, 0);
    }

    /** The key of a struct file_handle at {@code offset}. */
    static String key(Pointer buf, long offset) {
        int bytes = buf.getInt(offset + HANDLE_BYTES);
        int type = buf.getInt(offset + HANDLE_TYPE);
        return type + ":" + HexFormat.of().formatHex(buf.getByteArray(offset + F_HANDLE, bytes));
    }

    /** Bytes a struct file_handle at {@code offset} takes. */
    static int size(Pointer buf, long offset) {
        return F_HANDLE + buf.getInt(offset + HANDLE_BYTES);
    }
}
