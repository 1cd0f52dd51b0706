package io.driftguard.daemon.app;

import io.driftguard.core.fs.TrustedPath;
import io.driftguard.core.store.Database;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One daemon per state folder and per control socket: an exclusive lock (fcntl, released by the
 * kernel when the process ends, however it ends) on a file that holds the holder's pid. The file
 * is never deleted: unlinking a lock file lets a third process lock a new file while the second
 * still holds the old one.
 */
final class InstanceLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code file} (0600, in a trusted 0700 folder) for this process, or fails naming the
     * daemon that holds it; {@code what} says what the lock guards ("state folder /var/lib/driftguard").
     */
    static InstanceLock acquire(Path file, String what) throws IOException {
        Database.createPrivateDirectories(file.getParent());
        TrustedPath.require(file.getParent());
        FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new IOException("another driftguard daemon (" + holder(file) + ") uses the " + what
                        + "; stop it first (systemctl stop driftguard), or give this one its own [store] path and"
                        + " [daemon] control_socket");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            return new InstanceLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Null when another process (or, in tests, this one) holds the lock. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    /** "pid N" from the file, as its holder wrote it; a holder that has not written yet is "pid unknown". */
    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.matches("\\d{1,10}") ? "pid " + text : "pid unknown";
        } catch (IOException e) {
            return "pid unknown";
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
