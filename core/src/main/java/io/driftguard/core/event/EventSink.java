package io.driftguard.core.event;

import java.util.List;

/** Somewhere events go. Called from the dispatcher's one writer thread, never from a decision path. */
public interface EventSink extends AutoCloseable {
    void accept(Event event) throws Exception;

    /**
     * Several events queued together, in order; a sink for which one write per event costs (a
     * store's commit) takes them at once. Thrown when none or only some were taken.
     */
    default void acceptAll(List<Event> events) throws Exception {
        for (Event event : events) {
            accept(event);
        }
    }

    @Override
    default void close() throws Exception {
    }
}
