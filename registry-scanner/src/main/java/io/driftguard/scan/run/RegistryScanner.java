package io.driftguard.scan.run;

import io.driftguard.core.config.Durations;
import io.driftguard.core.model.ImageRef;
import io.driftguard.scan.config.RegistryConfig;
import io.driftguard.scan.config.ScanConfig;
import io.driftguard.scan.hashing.BlobVerifier;
import io.driftguard.scan.image.ImageScanner;
import io.driftguard.scan.layer.TarLimits;
import io.driftguard.scan.net.Printable;
import io.driftguard.scan.net.RegistryException;
import io.driftguard.scan.registry.ApiVersionCheck;
import io.driftguard.scan.registry.CatalogRequest;
import io.driftguard.scan.registry.Listing;
import io.driftguard.scan.registry.RegistryClients;
import io.driftguard.scan.registry.RegistryHttp;
import io.driftguard.scan.registry.TagListRequest;
import io.driftguard.scan.store.ScannerStore;
import io.driftguard.scan.store.TagState;
import java.sql.SQLException;
import java.time.Clock;
import java.util.function.Consumer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Scans one registry: lists repositories (configured, else the catalog) and their tags, and scans
 * the tags on a pool as large as the registry's concurrency bound. A failing repository or tag
 * becomes a finding and the others go on.
 */
final class RegistryScanner {
    /** Tags that cosign and similar tools attach to an image: signatures, attestations, SBOMs. */
    static final Pattern SIGNATURE_TAG = Pattern.compile("sha256-[a-f0-9]{64}\\.(?:sig|att|sbom)");

    private final RegistryConfig config;
    private final ScanConfig scan;
    private final ScannerStore store;
    private final ImageStores images;
    private final Findings findings;
    private final boolean deep;
    private final Clock clock;
    private final Consumer<String> progress;

    RegistryScanner(RegistryConfig config, ScanConfig scan, ScannerStore store, ImageStores images, Findings findings, boolean deep,
                    Clock clock, Consumer<String> progress) {
        this.config = config;
        this.scan = scan;
        this.store = store;
        this.images = images;
        this.findings = findings;
        this.deep = deep;
        this.clock = clock;
        this.progress = progress;
    }

    /** Scans the registry; at {@code deadline}, the tags still being scanned are stopped and each is an error. */
    RunSummary.RegistryCounts scan(Instant deadline) throws InterruptedException {
        String name = config.name();
        RegistryHttp http;
        try {
            http = RegistryClients.create(config, scan, clock, progress);
            ApiVersionCheck.check(http);
        } catch (RegistryException e) {
            findings.add(Finding.error(name, null, null, "Registry " + name + " cannot be scanned: " + e.getMessage()));
            return RunSummary.RegistryCounts.failed(name);
        }
        List<String> repositories = repositories(http);
        BlobVerifier blobs = new BlobVerifier(http, store, deep, clock);
        ExecutorService readers = Executors.newCachedThreadPool(daemonThreads(name + "-layers"));
        ImageScanner imageScanner = new ImageScanner(blobs, images.images(), images.advisories(), scan.images(), TarLimits.DEFAULT,
                readers, clock);
        // Tags and blobs have pools of their own: a tag waits for its blobs, which must not wait for a tag thread.
        ExecutorService blobPool = Executors.newFixedThreadPool(config.concurrency(), daemonThreads(name + "-blobs"));
        TagScanner tags = new TagScanner(http, config, store, blobs, imageScanner, findings, scan.maxManifestBytes(), deep, clock,
                blobPool);
        AtomicInteger scanned = new AtomicInteger();
        int skipped = 0;
        ExecutorService pool = Executors.newFixedThreadPool(config.concurrency(), daemonThreads(name));
        try {
            List<Work> work = new ArrayList<>();
            for (String repository : repositories) {
                List<String> listed = tags(http, repository);
                Optional<Map<String, TagState>> stored = states(repository);
                if (stored.isEmpty()) {
                    continue;
                }
                Map<String, TagState> states = stored.get();
                for (String tag : listed) {
                    if (SIGNATURE_TAG.matcher(tag).matches() || !config.tagFilter().accepts(tag)) {
                        skipped++;
                        continue;
                    }
                    work.add(new Work(repository, tag, pool.submit(() -> {
                        tags.scan(repository, tag, states.getOrDefault(tag, TagState.NEW));
                        scanned.incrementAndGet();
                    })));
                }
            }
            for (Work each : work) {
                try {
                    each.future().get(Math.max(0, Duration.between(clock.instant(), deadline).toMillis()), TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    findings.add(Finding.error(name, null, null, "Registry " + name + ": internal error: " + e.getCause()));
                } catch (TimeoutException e) {
                    each.future().cancel(true);
                    findings.add(Finding.error(name, each.repository(), each.tag(), "Tag " + name + "/" + each.repository()
                            + ":" + each.tag() + " timed out: " + runTimeoutPassed(scan)));
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
            tags.recordStillSeen();
            blobPool.shutdownNow();
            readers.shutdownNow();
        }
        return new RunSummary.RegistryCounts(name, true, repositories.size(), scanned.get(), skipped,
                blobs.hashedBlobs(), blobs.hashedBytes(), blobs.skippedBlobs());
    }

    static String runTimeoutPassed(ScanConfig scan) {
        return "run_timeout of " + Durations.format(scan.runTimeout()) + " passed";
    }

    private record Work(String repository, String tag, Future<?> future) {
    }

    private List<String> repositories(RegistryHttp http) {
        List<String> names;
        if (!config.repositories().isEmpty()) {
            names = config.repositories();
        } else {
            Listing catalog = CatalogRequest.list(http, scan.pageSize(), scan.maxManifestBytes());
            catalog.error().ifPresent(e -> findings.add(Finding.error(config.name(), null, null,
                    "Registry " + config.name() + ": catalog listing stopped after " + catalog.names().size()
                            + " repositories: " + e.getMessage())));
            names = catalog.names();
        }
        List<String> accepted = new ArrayList<>();
        for (String name : names) {
            if (!ImageRef.isRepository(name)) {
                findings.add(Finding.error(config.name(), null, null,
                        "Registry " + config.name() + " listed an invalid repository name '" + Printable.of(name) + "'; skipped"));
            } else if (config.repositoryFilter().accepts(name)) {
                accepted.add(name);
            }
        }
        return accepted;
    }

    /** The stored states of the repository's tags; empty, and an error, when the store fails: no tag is scanned blind. */
    private Optional<Map<String, TagState>> states(String repository) {
        try {
            return Optional.of(store.states(config.name(), repository));
        } catch (SQLException e) {
            findings.add(Finding.error(config.name(), repository, null, "Repository " + config.name() + "/" + repository
                    + " was not scanned: the store failed reading its tags: " + e.getMessage()));
            return Optional.empty();
        }
    }

    private List<String> tags(RegistryHttp http, String repository) {
        Listing listing = TagListRequest.list(http, repository, scan.pageSize(), scan.maxManifestBytes());
        listing.error().ifPresent(e -> findings.add(Finding.error(config.name(), repository, null,
                "Repository " + config.name() + "/" + repository + ": tag listing stopped after "
                        + listing.names().size() + " tags: " + e.getMessage())));
        List<String> valid = new ArrayList<>();
        for (String tag : listing.names()) {
            if (ImageRef.isTag(tag)) {
                valid.add(tag);
            } else {
                findings.add(Finding.error(config.name(), repository, null, "Repository " + config.name() + "/"
                        + repository + " listed an invalid tag '" + Printable.of(tag) + "'; skipped"));
            }
        }
        return valid;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String registry) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "scan-" + registry + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
