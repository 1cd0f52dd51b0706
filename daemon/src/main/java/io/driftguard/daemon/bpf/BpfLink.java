package io.driftguard.daemon.bpf;

import com.sun.jna.Pointer;
import io.driftguard.core.log.Log;
import io.driftguard.daemon.kernel.LibBpf;

/** An attached program ({@code struct bpf_link *}); closing detaches it. Closing twice is harmless. */
final class BpfLink implements AutoCloseable {
    private static final Log LOG = Log.of(BpfLink.class);

    private final String description;
    private Pointer link;

    BpfLink(String description, Pointer link) {
        this.description = description;
        this.link = link;
    }

    @Override
    public synchronized void close() {
        if (link == null) {
            return;
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
