package io.driftguard.daemon.bpf;

import com.sun.jna.Pointer;
import io.driftguard.core.log.Log;
import io.driftguard.daemon.kernel.LibBpf;

/**
 * An attached program ({@code struct bpf_link *}); closing detaches it (its pin, if any, is removed
 * first). Closing twice is harmless.
 */
final class BpfLink implements AutoCloseable {
    private static final Log LOG = Log.of(BpfLink.class);

    private final String description;
    private Pointer link;
    private boolean pinned;

    BpfLink(String description, Pointer link) {
        this.description = description;
        this.link = link;
    }

    /** Pins the link on bpffs, so that it stays attached should this process die without closing it. */
    synchronized BpfLink pin(java.nio.file.Path path) throws BpfException {
        BpfException.check(LibBpf.INSTANCE.bpf_link__pin(link, path.toString()), "bpf_link__pin", description + " at " + path);
        pinned = true;
        return this;
    }

    @Override
    public synchronized void close() {
        if (link == null) {
            return;
        }
        int unpinned = pinned ? LibBpf.INSTANCE.bpf_link__unpin(link) : 0;
        if (unpinned < 0) {
            LOG.warn("bpf_link__unpin(" + description + ") failed: " + BpfException.strerror(-unpinned));
        }
        int rc = LibBpf.INSTANCE.bpf_link__destroy(link);
        link = null;
        if (rc < 0) {
            LOG.warn("bpf_link__destroy(" + description + ") failed: " + BpfException.strerror(-rc));
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
