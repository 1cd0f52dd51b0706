package io.driftguard.daemon.kernel;

/** A file's identity: device and inode. What an exec permission event is matched on. */
public record FileKey(long dev, long ino) {
}
