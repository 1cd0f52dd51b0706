package io.driftguard.core.event;

/** Somewhere events go. Called from the dispatcher's one writer thread, never from a decision path. */
public interface EventSink extends AutoCloseable {
    void accept(Event event) throws Exception;

    @Override
    default void close() throws Exception {
    }
}
