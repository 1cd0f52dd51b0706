package io.driftguard.daemon.bpf;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import io.driftguard.core.log.Log;
import io.driftguard.daemon.kernel.LibBpf;
import io.driftguard.daemon.kernel.LibC;
import java.util.function.Consumer;

/**
 * Drains the BPF ring buffer on its own thread ({@code driftguard-bpf-events}): each record is
 * copied out and handed to {@code records} on that thread, so the consumer must not block for
 * long. After every poll (at least every 200 ms) the kernel's lost-record counter is read and each
 * increase reported, and {@code afterPoll} runs.
 */
final class RingBufferPoller implements AutoCloseable {
    private static final Log LOG = Log.of(RingBufferPoller.class);
    private static final int POLL_MS = 200;

    private final Pointer ringBuffer;
    private final BpfMap lostCounter;
    private final Consumer<DriftguardH.dg_event> records;
    private final Consumer<BpfEvent.Lost> lost;
    private final Runnable afterPoll;
    /** Held in a field: native code calls it for as long as the ring buffer lives. */
    private final LibBpf.ring_buffer_sample_fn callback = this::onSample;
    private final Thread thread;
    private volatile boolean running = true;
    private long lostSeen;

    /** {@code earlier}: ring buffers of an earlier run's programs, drained into {@code records} as well. */
    RingBufferPoller(BpfMap events, java.util.List<BpfMap> earlier, BpfMap lostCounter, Consumer<DriftguardH.dg_event> records,
                     Consumer<BpfEvent.Lost> lost, Runnable afterPoll) throws BpfException {
        this.lostCounter = lostCounter;
        this.records = records;
        this.lost = lost;
        this.afterPoll = afterPoll;
        this.ringBuffer = BpfException.check(LibBpf.INSTANCE.ring_buffer__new(events.fd(), callback, null, null),
                "ring_buffer__new", "dg_events");
        for (BpfMap ring : earlier) {
            int rc = LibBpf.INSTANCE.ring_buffer__add(ringBuffer, ring.fd(), callback, null);
            if (rc < 0) {
                LibBpf.INSTANCE.ring_buffer__free(ringBuffer);
                BpfException.check(rc, "ring_buffer__add", ring.toString());
            }
        }
        this.thread = new Thread(this::run, "driftguard-bpf-events");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        while (running) {
            int rc = LibBpf.INSTANCE.ring_buffer__poll(ringBuffer, POLL_MS);
            if (rc < 0 && rc != -LibC.EINTR) {
                LOG.error("ring_buffer__poll(dg_events) failed: " + BpfException.strerror(-rc));
                pause(); // a poll that fails at once would otherwise spin
            }
            reportLost();
            try {
                afterPoll.run();
            } catch (RuntimeException e) {
                LOG.error("BPF housekeeping failed: " + e);
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int onSample(Pointer ctx, Pointer data, NativeLong size) {
        try {
            records.accept(new DriftguardH.dg_event(data));
        } catch (RuntimeException e) {
            LOG.error("handling a BPF event failed: " + e);
        }
        return 0;
    }

    private void reportLost() {
        try {
            long total = lostCounter.getLong(0);
            if (total > lostSeen) {
                long count = total - lostSeen;
                lostSeen = total;
                lost.accept(new BpfEvent.Lost(count, total));
            }
        } catch (BpfException e) {
            LOG.error(e.getMessage());
        }
    }

    /** Total records the kernel could not queue since the object was loaded. */
    long lostTotal() throws BpfException {
        return lostCounter.getLong(0);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            LibBpf.INSTANCE.ring_buffer__free(ringBuffer);
        }
    }
}
