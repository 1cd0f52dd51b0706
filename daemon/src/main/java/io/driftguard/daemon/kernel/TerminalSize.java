package io.driftguard.daemon.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.util.OptionalInt;

/** The size of the terminal that a descriptor writes to: ioctl(2) TIOCGWINSZ, which also tells a terminal from a pipe. */
public final class TerminalSize {
    private static final LibC.Struct WINSIZE = new LibC.winsize();
    private static final int COLUMNS = WINSIZE.offsetOf("ws_col");

    private TerminalSize() {
    }

    /** The columns of the terminal on {@code fd} (0 when it does not say); empty when {@code fd} is no terminal. */
    public static OptionalInt columns(int fd) {
        Memory size = new Memory(WINSIZE.size());
        try {
            LibC.INSTANCE.ioctl(fd, LibC.TIOCGWINSZ, size);
        } catch (LastErrorException notATerminal) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Short.toUnsignedInt(size.getShort(COLUMNS)));
    }
}
