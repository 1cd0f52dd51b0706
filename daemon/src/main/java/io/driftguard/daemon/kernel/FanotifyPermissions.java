package io.driftguard.daemon.kernel;

import java.io.IOException;

/**
 * What a decision does with one permission event of a fanotify group: answer it, and tell the
 * kernel to stop asking about its file. {@link FanotifyGroup} is the real one; unit tests stand in
 * for it to make each step fail, which a real group cannot be made to do.
 */
public interface FanotifyPermissions {
    /** Answers a permission event; any thread may answer. */
    void respond(int eventFd, boolean allow) throws IOException;

    /** Stops asking about the file of {@code eventFd} until it is modified. */
    void ignoreUntilModified(int eventFd) throws IOException;

    /** Takes back an ignore mark of {@link #ignoreUntilModified}. */
    void stopIgnoring(int eventFd) throws IOException;
}
