package io.driftguard.daemon.metrics;

import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the daemon lets the metrics read at each scrape. {@code storeBytes} and {@code lastScan}
 * query the store; a failure there leaves that sample out of the scrape and is counted.
 */
public record MetricSources(LongSupplier attachedContainers, LongSupplier runningContainers,
                            Measure ringBufferLost, Measure storeBytes, Supplier<List<OutputCounts>> outputs,
                            Lookup<ScanRun> lastScan) {

    /** A number read from somewhere that can fail (the store, a BPF map). */
    public interface Measure {
        long read() throws Exception;
    }

    /** A record read from the store, absent when there is none. */
    public interface Lookup<T> {
        Optional<T> read() throws Exception;
    }

    /** One output's events so far. */
    public record OutputCounts(String name, long sent, long dropped, long queued) {
    }

    /** The scanner's last finished run: when, and how many findings of each type. */
    public record ScanRun(long finishedEpochMillis, long tags, long drift, long tamper, long errors) {
    }
}
