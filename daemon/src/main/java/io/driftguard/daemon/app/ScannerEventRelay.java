package io.driftguard.daemon.app;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.EventSink;
import io.driftguard.core.log.Log;
import io.driftguard.core.store.EventFollower;
import io.driftguard.core.store.StoredEvent;
import io.driftguard.core.store.EventQuery;
import io.driftguard.core.store.EventStore;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The registry scanner is a process of its own that writes its findings to the store and journald;
 * this hands the ones it recorded for this host after the daemon started to the [[output]]s (and
 * the metrics), so that drift and tamper findings reach the same receivers as the daemon's events.
 * A poll that fails is tried again from the same place: nothing is skipped.
 */
final class ScannerEventRelay implements AutoCloseable {
    private static final Log LOG = Log.of(ScannerEventRelay.class);
    private static final long EVERY_SECONDS = 5;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "driftguard-scanner-relay");
        t.setDaemon(true);
        return t;
    });

    private ScannerEventRelay() {
    }

    /** Starts relaying to {@code sinks}, which must take events from any thread. */
    static ScannerEventRelay start(EventStore store, List<EventSink> sinks) throws SQLException {
        EventFollower follower = new EventFollower(store, new EventQuery(null, null, EventKind.REGISTRY, 1, false), store.lastId());
        ScannerEventRelay relay = new ScannerEventRelay();
        relay.timer.scheduleWithFixedDelay(() -> relay.poll(follower, sinks), EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
        return relay;
    }

    private void poll(EventFollower follower, List<EventSink> sinks) {
        List<Event> fresh;
        try {
            fresh = follower.poll(Instant.now()).stream().map(StoredEvent::event).toList();
        } catch (SQLException | RuntimeException e) {
            LOG.warn("cannot read the scanner's events from the store (tried again in " + EVERY_SECONDS + "s): " + e.getMessage());
            return;
        }
        for (Event event : fresh) {
            for (EventSink sink : sinks) {
                try {
                    sink.accept(event);
                } catch (Exception e) {
                    LOG.warn("relaying a scanner event: " + e.getMessage());
                }
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
