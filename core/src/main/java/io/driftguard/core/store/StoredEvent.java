package io.driftguard.core.store;

import io.driftguard.core.event.Event;

/**
 * An event as a store's row holds it: with the {@code [daemon] host_id} of the host that recorded
 * it (null for rows from before host ids), which in a shared store tells the hosts apart where
 * the event's own {@code host} (the machine's host name) may not.
 */
public record StoredEvent(String hostId, Event event) {
}
