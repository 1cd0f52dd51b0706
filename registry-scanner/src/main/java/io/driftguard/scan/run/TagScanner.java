package io.driftguard.scan.run;

import io.driftguard.core.model.Digest;
import io.driftguard.core.model.ImageRef;
import io.driftguard.scan.image.DriftDiff;
import io.driftguard.scan.image.ImageReport;
import io.driftguard.scan.image.ImageScanner;
import io.driftguard.scan.image.Sbom;
import io.driftguard.scan.config.RegistryConfig;
import io.driftguard.scan.drift.TagDriftCheck;
import io.driftguard.scan.hashing.BlobVerifier;
import io.driftguard.scan.net.RegistryException;
import io.driftguard.scan.registry.Descriptor;
import io.driftguard.scan.registry.FetchedManifest;
import io.driftguard.scan.registry.MalformedManifestException;
import io.driftguard.scan.registry.Manifest;
import io.driftguard.scan.registry.ManifestDigestRequest;
import io.driftguard.scan.registry.ManifestParser;
import io.driftguard.scan.registry.ManifestRequest;
import io.driftguard.scan.registry.RegistryHttp;
import io.driftguard.scan.store.ScannerStore;
import io.driftguard.scan.store.TagKey;
import io.driftguard.scan.store.TagState;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * Scans one tag: finds its current digest (HEAD, else GET), verifies the manifest and every blob
 * under it unless verified before, checks for drift, and records the digest in the history.
 *
 * <p>One instance serves one registry's run. What it learns of a digest in that run (verified, its
 * platforms) is kept for the run, so that many tags of one image cost one look-up, not one each.
 */
final class TagScanner {
    private static final int SEEN_BATCH = 256;
    private final RegistryHttp http;
    private final RegistryConfig config;
    private final ScannerStore store;
    private final BlobVerifier blobs;
    private final ImageScanner images;
    private final Findings findings;
    private final long maxManifestBytes;
    private final boolean deep;
    private final Clock clock;
    private final Executor blobPool;
    private final Set<Digest> verifiedInRun = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<String, Digest>> platformsInRun = new ConcurrentHashMap<>();
    private final Queue<TagKey> stillSeen = new ConcurrentLinkedQueue<>();

    TagScanner(RegistryHttp http, RegistryConfig config, ScannerStore store, BlobVerifier blobs, ImageScanner images, Findings findings,
               long maxManifestBytes, boolean deep, Clock clock, Executor blobPool) {
        this.http = http;
        this.config = config;
        this.store = store;
        this.blobs = blobs;
        this.images = images;
        this.findings = findings;
        this.maxManifestBytes = maxManifestBytes;
        this.deep = deep;
        this.clock = clock;
        this.blobPool = blobPool;
    }

    /**
     * Scans the tag, whose state the store had when the run listed it. Never throws: whatever
     * goes wrong becomes a finding about this tag.
     */
    void scan(String repository, String tag, TagState state) {
        TagKey key = new TagKey(http.name(), repository, tag);
        try {
            FetchedManifest byTag = null;
            Optional<Digest> head = ManifestDigestRequest.head(http, repository, tag);
            Digest current;
            if (head.isPresent()) {
                current = head.get();
            } else {
                // HEAD gave no usable digest: the digest of the bytes GET serves for the tag is the truth.
                byTag = ManifestRequest.get(http, repository, tag, maxManifestBytes);
                current = byTag.computed();
            }
            Map<String, Digest> platforms;
            String mediaType = null;
            if (deep || !verified(current)) {
                // An unusable manifest has been reported; a move of the tag is still drift.
                Optional<Manifest> manifest = verifyManifest(key, current, byTag);
                mediaType = manifest.map(Manifest::mediaType).orElse(null);
                platforms = manifest.map(TagScanner::platformsOf).orElse(Map.of());
            } else {
                platforms = platforms(repository, current);
            }
            reportImages(key, current, platforms);
            Map<String, Digest> before = state.reference().isPresent() ? platforms(repository, state.reference().get()) : Map.of();
            Optional<TagDriftCheck.Drift> drift = TagDriftCheck.check(state, current, before, platforms, config::watches);
            if (drift.isPresent()) {
                reportDrift(key, drift.get(), before, platforms);
                store.openDrift(key, drift.get().from(), clock.instant());
            }
            if (state.current().equals(Optional.of(current))) {
                stillSeen(key);
            } else {
                store.recordSeen(key, current, mediaType, clock.instant());
            }
            // Verified means everything under the digest hashed right: an earlier tamper is over.
            if (state.tamperOpen() && verified(current)) {
                store.closeTamper(key);
            }
        } catch (IOException e) {
            findings.add(Finding.error(key.registry(), repository, tag, "Tag " + key + ": image scan failed: " + e.getMessage()));
        } catch (RegistryException e) {
            findings.add(Finding.error(key.registry(), repository, tag, "Tag " + key + ": " + e.getMessage()));
        } catch (SQLException e) {
            findings.add(Finding.error(key.registry(), repository, tag, "Tag " + key + ": store failed: " + e.getMessage()));
        }
    }

    /** Most tags of a pass are still at their digest: their last-seen times are written in batches. */
    private void stillSeen(TagKey key) {
        stillSeen.add(key);
        if (stillSeen.size() >= SEEN_BATCH) {
            recordStillSeen();
        }
    }

    /** Writes the last-seen times of the tags scanned so far that are still at their digest. */
    void recordStillSeen() {
        List<TagKey> keys = new ArrayList<>();
        for (TagKey key; (key = stillSeen.poll()) != null; ) {
            keys.add(key);
        }
        try {
            store.recordStillSeen(keys, clock.instant());
        } catch (SQLException e) {
            findings.add(Finding.error(http.name(), null, null, "Registry " + http.name() + ": the last-seen times of "
                    + keys.size() + " tags could not be stored: " + e.getMessage()));
        }
    }

    private boolean verified(Digest digest) throws SQLException {
        if (verifiedInRun.contains(digest)) {
            return true;
        }
        boolean verified = store.verified(http.name(), digest);
        if (verified) {
            verifiedInRun.add(digest);
        }
        return verified;
    }

    private Map<String, Digest> platforms(String repository, Digest index) throws SQLException {
        Map<String, Digest> known = platformsInRun.get(inRun(repository, index));
        if (known == null) {
            known = store.platforms(http.name(), repository, index);
            platformsInRun.put(inRun(repository, index), known);
        }
        return known;
    }

    /** Platforms are kept per repository, as the store keeps them. */
    private static String inRun(String repository, Digest index) {
        return repository + "@" + index;
    }

    private void reportDrift(TagKey key, TagDriftCheck.Drift drift, Map<String, Digest> before, Map<String, Digest> after)
            throws SQLException, IOException {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("digest", drift.to().toString());
        details.put(drift.fromApproved() ? "approved_digest" : "previous_digest", drift.from().toString());
        if (drift.platformsKnown()) {
            details.put("platforms_changed", drift.changedPlatforms().isEmpty() ? "none" : String.join("; ", drift.changedPlatforms()));
        }
        if (!drift.platformsKnown()) {
            details.putAll(diff(drift.from(), drift.to(), ""));
        } else {
            for (String platform : drift.changedPlatforms()) {
                if (before.containsKey(platform) && after.containsKey(platform)) {
                    diff(before.get(platform), after.get(platform), platform + ": ").forEach((k, v) -> details.merge(k, v, (a, b) -> a + "; " + b));
                }
            }
        }
        findings.add(new Finding(FindingType.DRIFT, key.registry(), key.repository(), key.tag(), drift.describe(key), details));
    }

    /** What changed between two scanned image digests; empty when either was never scanned. */
    private Map<String, String> diff(Digest from, Digest to, String prefix) throws SQLException, IOException {
        Optional<Sbom> old = images.sbom(from);
        Optional<Sbom> now = images.sbom(to);
        if (old.isEmpty() || now.isEmpty()) {
            return Map.of();
        }
        Map<String, String> diff = new LinkedHashMap<>();
        DriftDiff.of(old.get(), images.findings(from), now.get(), images.findings(to)).forEach((k, v) -> diff.put(k, prefix + v));
        return diff;
    }

    /**
     * Reports the findings of each image under the tag's digest (each watched platform of an
     * index): its latest scan while no newer advisories were imported, else a scan now.
     */
    private void reportImages(TagKey key, Digest current, Map<String, Digest> platforms)
            throws SQLException, IOException, RegistryException {
        List<Digest> digests = platforms.isEmpty() ? List.of(current)
                : platforms.entrySet().stream().filter(e -> config.watches(e.getKey())).map(Map.Entry::getValue).toList();
        ImageRef ref = new ImageRef(key.registry(), key.repository(), key.tag(), null);
        for (Digest digest : digests) {
            Optional<ImageReport> report = images.latest(ref.toString(), digest);
            if (report.isEmpty()) {
                report = scanImage(key, digest);
            }
            report.ifPresent(r -> {
                ImageFindings.of(ref, r).forEach(findings::add);
                r.warnings().forEach(findings::warn);
            });
        }
    }

    /** Fetches and checks an image manifest, then scans the image; empty for anything but an image manifest. */
    private Optional<ImageReport> scanImage(TagKey key, Digest digest) throws RegistryException, SQLException, IOException {
        FetchedManifest fetched = ManifestRequest.get(http, key.repository(), digest.toString(), maxManifestBytes);
        if (!fetched.computed().equals(digest)) {
            return Optional.empty();
        }
        try {
            Manifest manifest = ManifestParser.parse(fetched.bytes(), fetched.contentType());
            return manifest instanceof Manifest.Image image
                    ? Optional.of(images.scan(new ImageRef(key.registry(), key.repository(), key.tag(), null).toString(),
                    key.repository(), digest, image)) : Optional.empty();
        } catch (MalformedManifestException e) {
            return Optional.empty();
        }
    }

    /**
     * Fetches the manifest by digest (or reuses the bytes fetched by tag), checks that its bytes
     * hash to the digest, parses it and verifies what it refers to. Empty when it could not be
     * used; that has been reported.
     */
    private Optional<Manifest> verifyManifest(TagKey key, Digest digest, FetchedManifest byTag)
            throws RegistryException, SQLException {
        FetchedManifest fetched = byTag != null ? byTag
                : ManifestRequest.get(http, key.repository(), digest.toString(), maxManifestBytes);
        Optional<Manifest> manifest = checkedManifest(key, digest, fetched, "manifest");
        if (manifest.isEmpty()) {
            verifiedInRun.remove(digest);
            store.forgetVerified(http.name(), digest);
            return manifest;
        }
        boolean intact;
        if (manifest.get() instanceof Manifest.Index index) {
            Map<String, Digest> platforms = platformsOf(index);
            store.savePlatforms(http.name(), key.repository(), digest, platforms);
            platformsInRun.put(inRun(key.repository(), digest), platforms);
            intact = true;
            for (Manifest.PlatformManifest child : index.manifests()) {
                intact &= verifyChild(key, child);
            }
        } else {
            intact = verifyBlobs(key, digest, (Manifest.Image) manifest.get());
        }
        markVerified(digest, fetched.bytes().length, intact);
        return manifest;
    }

    private boolean verifyChild(TagKey key, Manifest.PlatformManifest child) throws RegistryException, SQLException {
        Descriptor descriptor = child.descriptor();
        if (!deep && verified(descriptor.digest())) {
            return true;
        }
        boolean intact = childIntact(key, child);
        markVerified(descriptor.digest(), descriptor.size(), intact);
        return intact;
    }

    private boolean childIntact(TagKey key, Manifest.PlatformManifest child) throws RegistryException, SQLException {
        Descriptor descriptor = child.descriptor();
        FetchedManifest fetched = ManifestRequest.get(http, key.repository(), descriptor.digest().toString(), maxManifestBytes);
        String what = "manifest of platform " + child.platform();
        if (fetched.bytes().length != descriptor.size()) {
            tamper(key, descriptor.digest().toString(), what + " " + descriptor.digest() + " is " + fetched.bytes().length
                    + " bytes, the index gives " + descriptor.size(), Map.of("platform", child.platform()));
            return false;
        }
        Optional<Manifest> manifest = checkedManifest(key, descriptor.digest(), fetched, what);
        if (manifest.isEmpty()) {
            return false;
        }
        if (!(manifest.get() instanceof Manifest.Image image)) {
            findings.add(Finding.error(key.registry(), key.repository(), key.tag(),
                    "Tag " + key + ": " + what + " " + descriptor.digest() + " is itself an index; nested indexes are not scanned"));
            return false;
        }
        return verifyBlobs(key, descriptor.digest(), image);
    }

    /** A manifest counts as verified only with everything under it intact; else every run checks it again. */
    private void markVerified(Digest manifest, long size, boolean intact) throws SQLException {
        if (intact) {
            store.markVerified(http.name(), manifest, size, clock.instant());
            verifiedInRun.add(manifest);
        } else {
            verifiedInRun.remove(manifest);
            store.forgetVerified(http.name(), manifest);
        }
    }

    /** Checks the bytes against the digest and the registry's claim, then parses them. */
    private Optional<Manifest> checkedManifest(TagKey key, Digest digest, FetchedManifest fetched, String what)
            throws SQLException {
        if (!fetched.computed().equals(digest)) {
            tamper(key, digest.toString(), what + " " + digest + " was served with content hashing to " + fetched.computed(),
                    Map.of("found", fetched.computed().toString()));
            return Optional.empty();
        }
        if (fetched.claimed().isPresent() && !fetched.claimed().get().equals(digest)) {
            tamper(key, digest.toString(), what + " " + digest + ": the registry's Docker-Content-Digest says "
                    + fetched.claimed().get(), Map.of("claimed", fetched.claimed().get().toString()));
            return Optional.empty();
        }
        try {
            return Optional.of(ManifestParser.parse(fetched.bytes(), fetched.contentType()));
        } catch (MalformedManifestException e) {
            findings.add(Finding.error(key.registry(), key.repository(), key.tag(),
                    "Tag " + key + ": " + what + " " + digest + " is unusable: " + e.getMessage()));
            return Optional.empty();
        }
    }

    private boolean verifyBlobs(TagKey key, Digest manifest, Manifest.Image image) throws SQLException {
        // Scanned first, so that each layer is downloaded once for both its content and its hash.
        try {
            if (images.latest(key.toString(), manifest).isEmpty()) {
                images.scan(key.toString(), key.repository(), manifest, image);
            }
        } catch (IOException e) {
            findings.add(Finding.error(key.registry(), key.repository(), key.tag(),
                    "Tag " + key + ": image " + manifest + " could not be scanned: " + e.getMessage()));
        }
        boolean intact = true;
        List<Descriptor> all = concat(image.config(), image.layers());
        List<BlobVerifier.Outcome> outcomes = verifyAll(key.repository(), all);
        for (int i = 0; i < all.size(); i++) {
            Descriptor blob = all.get(i);
            BlobVerifier.Outcome outcome = outcomes.get(i);
            if (outcome.error() != null) {
                findings.add(Finding.error(key.registry(), key.repository(), key.tag(),
                        "Tag " + key + ": blob " + blob.digest() + " could not be checked: " + outcome.error()));
                intact = false;
            } else if (outcome.tampered()) {
                tamper(key, blob.digest().toString(), "blob " + blob.digest() + " of manifest " + manifest + ": "
                        + outcome.check().problem(), Map.of("found", outcome.check().actual().toString(),
                        "bytes", Long.toString(outcome.check().bytes()), "manifest_digest", manifest.toString()));
                intact = false;
            }
        }
        return intact;
    }

    /**
     * Verifies the blobs side by side on the registry's blob pool (the registry's request bound
     * still holds): one image's layers are as many streams as the registry allows, not one after
     * the other. The outcomes are in the blobs' order.
     */
    private List<BlobVerifier.Outcome> verifyAll(String repository, List<Descriptor> all) throws SQLException {
        List<CompletableFuture<BlobVerifier.Outcome>> pending = new ArrayList<>();
        for (Descriptor blob : all) {
            pending.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return blobs.verify(repository, blob);
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            }, blobPool));
        }
        List<BlobVerifier.Outcome> outcomes = new ArrayList<>();
        try {
            for (CompletableFuture<BlobVerifier.Outcome> each : pending) {
                outcomes.add(each.get());
            }
        } catch (InterruptedException e) {
            pending.forEach(p -> p.cancel(true));
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while verifying blobs", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException("blob verification failed: " + e.getCause(), e.getCause());
        }
        return outcomes;
    }

    private void tamper(TagKey key, String digest, String what, Map<String, String> extra) throws SQLException {
        Map<String, String> details = new LinkedHashMap<>(extra);
        details.put("digest", digest);
        findings.add(new Finding(FindingType.TAMPER, key.registry(), key.repository(), key.tag(),
                "Tag " + key + ": " + what, details));
        store.openTamper(key, what, clock.instant());
    }

    private static Map<String, Digest> platformsOf(Manifest manifest) {
        Map<String, Digest> platforms = new LinkedHashMap<>();
        if (manifest instanceof Manifest.Index index) {
            index.manifests().forEach(m -> platforms.put(m.platform(), m.descriptor().digest()));
        }
        return platforms;
    }

    private static List<Descriptor> concat(Descriptor first, List<Descriptor> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
    }
}
