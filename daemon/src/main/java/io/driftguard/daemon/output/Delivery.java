package io.driftguard.daemon.output;

import io.driftguard.core.event.Event;

/** How one output hands an event over; called from that output's own thread only. */
interface Delivery extends AutoCloseable {
    /** Delivers the event, retrying as this output does; throws when it could not. */
    void deliver(Event event) throws Exception;

    /** Called on SIGHUP: files are opened anew, connections made again. */
    default void reopen() {
    }

    /** Where it goes, for messages: a path, an address, a URL. */
    String target();

    @Override
    default void close() throws Exception {
    }
}
