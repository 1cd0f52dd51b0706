package io.driftguard.scan.run;

import io.driftguard.scan.config.RegistryConfig;
import io.driftguard.scan.config.ScanConfig;
import io.driftguard.scan.store.ScannerStore;
import java.sql.SQLException;
import java.time.Clock;
import java.util.function.Consumer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over every configured registry, one after the other, recorded in the store, ended
 * when {@code [scan] run_timeout} passes: what is unfinished then is an error finding.
 */
public final class ScanRun {
    private final ScanConfig config;
    private final ScannerStore store;
    private final ImageStores images;
    private final Clock clock;
    private final Consumer<String> progress;

    /** {@code progress} hears what long waits (retries) are for. */
    public ScanRun(ScanConfig config, ScannerStore store, ImageStores images, Clock clock, Consumer<String> progress) {
        this.config = config;
        this.store = store;
        this.images = images;
        this.clock = clock;
        this.progress = progress;
    }

    public RunSummary run(Findings findings, boolean deep) throws SQLException, InterruptedException {
        Instant start = clock.instant();
        Instant deadline = start.plus(config.runTimeout());
        long id = store.startRun(start);
        List<RunSummary.RegistryCounts> counts = new ArrayList<>();
        for (RegistryConfig registry : config.registries()) {
            if (clock.instant().isBefore(deadline)) {
                counts.add(new RegistryScanner(registry, config, store, images, findings, deep, clock, progress).scan(deadline));
            } else {
                findings.add(Finding.error(registry.name(), null, null, "Registry " + registry.name() + " not scanned: "
                        + RegistryScanner.runTimeoutPassed(config)));
                counts.add(RunSummary.RegistryCounts.failed(registry.name()));
            }
        }
        Instant end = clock.instant();
        RunSummary summary = new RunSummary(counts, findings.count(FindingType.DRIFT), findings.count(FindingType.TAMPER),
                findings.count(FindingType.ERROR), findings.failing(), findings.warnings(), Duration.between(start, end));
        store.finishRun(id, end, summary.tags(), summary.drift(), summary.tamper(), summary.errors());
        return summary;
    }
}
