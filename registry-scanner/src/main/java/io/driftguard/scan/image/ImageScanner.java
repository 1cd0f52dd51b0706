package io.driftguard.scan.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import io.driftguard.scan.advisory.Vulnerability;
import io.driftguard.scan.advisory.VulnerabilityMatcher;
import io.driftguard.scan.config.Ignore;
import io.driftguard.scan.config.ImagePolicy;
import io.driftguard.scan.hashing.BlobVerifier;
import io.driftguard.scan.hashing.ReadingBody;
import io.driftguard.scan.layer.ImageView;
import io.driftguard.scan.layer.LayerContent;
import io.driftguard.scan.layer.LayerReader;
import io.driftguard.scan.layer.TarLimits;
import io.driftguard.scan.registry.Descriptor;
import io.driftguard.scan.registry.Manifest;
import io.driftguard.scan.registry.MediaTypes;
import io.driftguard.scan.store.AdvisoryStore;
import io.driftguard.scan.store.ImageScanStore;
import io.driftguard.scan.store.ImportRecord;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Scans one image manifest: reads its config and every layer not read before (each layer in the
 * same download as its hash check), applies the layers, keeps the SBOM, and finds vulnerable
 * packages, misconfigurations and secrets. Ignores are applied last, and the result is kept as the
 * digest's latest scan. One instance serves one run (or one {@code image} command).
 */
public final class ImageScanner {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CONFIG_BYTES = 8 << 20;

    private final BlobVerifier blobs;
    private final ImageScanStore store;
    private final AdvisoryStore advisories;
    private final ImagePolicy policy;
    private final LayerReader layers;
    private final Executor readers;
    private final Clock clock;
    private final Map<Digest, CompletableFuture<ImageReport>> scans = new ConcurrentHashMap<>();
    private final Map<Digest, CompletableFuture<Optional<LayerContent>>> layerReads = new ConcurrentHashMap<>();

    public ImageScanner(BlobVerifier blobs, ImageScanStore store, AdvisoryStore advisories, ImagePolicy policy,
                        TarLimits limits, Executor readers, Clock clock) {
        this.blobs = blobs;
        this.store = store;
        this.advisories = advisories;
        this.policy = policy;
        this.layers = new LayerReader(limits);
        this.readers = readers;
        this.clock = clock;
    }

    /**
     * Scans an image; tags sharing a digest in one run share one scan (the others wait for it),
     * and layers shared by images are read once.
     */
    public ImageReport scan(String reference, String repository, Digest digest, Manifest.Image image)
            throws SQLException, IOException {
        CompletableFuture<ImageReport> mine = new CompletableFuture<>();
        CompletableFuture<ImageReport> first = scans.putIfAbsent(digest, mine);
        if (first != null) {
            ImageReport shared = await(first);
            return new ImageReport(reference, digest, shared.sbom(), shared.findings(), shared.ignored(), shared.warnings());
        }
        try {
            ImageReport report = scanOnce(reference, repository, digest, image);
            mine.complete(report);
            return report;
        } catch (SQLException | IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            scans.remove(digest, mine);
            throw e;
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws SQLException, IOException {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    private ImageReport scanOnce(String reference, String repository, Digest digest, Manifest.Image image)
            throws SQLException, IOException {
        List<ImageFinding> findings = new ArrayList<>();
        JsonNode config = config(repository, image.config(), findings);
        List<Map.Entry<String, LayerContent>> contents = new ArrayList<>();
        for (Descriptor layer : image.layers()) {
            if (MediaTypes.FOREIGN_LAYERS.contains(layer.mediaType())) {
                continue;
            }
            content(repository, layer, findings).ifPresent(c ->
                    contents.add(new AbstractMap.SimpleImmutableEntry<>(layer.digest().toString(), c)));
        }
        ImageView view = ImageView.of(contents);
        for (String problem : view.problems()) {
            findings.add(new ImageFinding(ImageFinding.Category.LAYER, Severity.LOW, "layer-unreadable",
                    "Layer " + problem, Map.of("problem", problem)));
        }
        Sbom sbom = new Sbom(view.osRelease(), contents.stream().map(Map.Entry::getKey).toList(), view.packages());
        store.saveSbom(digest, JSON.writeValueAsString(sbom), clock.instant());
        List<String> warnings = new ArrayList<>(databaseWarnings());
        for (Vulnerability v : new VulnerabilityMatcher(advisories).match(sbom.os(), sbom.packages())) {
            findings.add(vulnerability(v));
        }
        if (!sbom.os().known() && !sbom.packages().isEmpty()) {
            warnings.add("no etc/os-release in the image: its packages cannot be matched to advisories");
        }
        findings.addAll(ConfigChecks.check(config, view));
        ImageReport report = applyIgnores(reference, digest, sbom, findings, warnings);
        // All findings are kept, so that a changed ignore applies to the stored result too.
        store.saveResult(digest, report.of(ImageFinding.Category.VULNERABILITY).stream().map(ImageFinding::severity)
                .min(Enum::compareTo).map(Severity::wire).orElse(null), JSON.writeValueAsString(findings), clock.instant());
        return report;
    }

    /**
     * The stored result of an image digest, when it is newer than the last advisory import (so
     * matching again would find the same), with today's ignores applied; else empty.
     */
    public Optional<ImageReport> latest(String reference, Digest digest) throws SQLException, IOException {
        Optional<ImageScanStore.Stored> result = store.result(digest);
        Optional<Sbom> sbom = sbom(digest);
        List<ImportRecord> imports = advisories.imports();
        Instant lastImport = imports.isEmpty() ? Instant.EPOCH : imports.get(imports.size() - 1).imported();
        if (result.isEmpty() || sbom.isEmpty() || !result.get().time().isAfter(lastImport)) {
            return Optional.empty();
        }
        return Optional.of(applyIgnores(reference, digest, sbom.get(), findings(digest), new ArrayList<>(databaseWarnings())));
    }

    public Optional<Sbom> sbom(Digest digest) throws SQLException, IOException {
        Optional<ImageScanStore.Stored> stored = store.sbom(digest);
        return stored.isEmpty() ? Optional.empty() : Optional.of(JSON.readValue(stored.get().json(), Sbom.class));
    }

    /** Every finding of the digest's latest scan, ignores not applied; empty when never scanned. */
    public List<ImageFinding> findings(Digest digest) throws SQLException, IOException {
        Optional<ImageScanStore.Stored> stored = store.result(digest);
        return stored.isEmpty() ? List.of() : List.of(JSON.readValue(stored.get().json(), ImageFinding[].class));
    }

    private JsonNode config(String repository, Descriptor descriptor, List<ImageFinding> findings) throws SQLException {
        ReadingBody.Read<byte[]> read = blobs.read(repository, descriptor, in -> in.readNBytes(MAX_CONFIG_BYTES), readers);
        String problem = read.error() != null ? read.error()
                : !read.check().intact() ? "config blob " + descriptor.digest() + ": " + read.check().problem() : null;
        if (problem == null) {
            try {
                return JSON.readTree(read.value());
            } catch (IOException e) {
                problem = "config blob " + descriptor.digest() + " is not JSON";
            }
        }
        findings.add(new ImageFinding(ImageFinding.Category.LAYER, Severity.MEDIUM, "config-unreadable",
                "Image config could not be read: " + problem, Map.of("digest", descriptor.digest().toString())));
        return JSON.createObjectNode();
    }

    private Optional<LayerContent> content(String repository, Descriptor layer, List<ImageFinding> findings)
            throws SQLException, IOException {
        CompletableFuture<Optional<LayerContent>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<LayerContent>> first = layerReads.putIfAbsent(layer.digest(), mine);
        if (first != null) {
            Optional<LayerContent> shared = await(first);
            if (shared.isEmpty()) {
                findings.add(unreadable(layer, "see the first image that has it"));
            }
            return shared;
        }
        try {
            Optional<LayerContent> content = readLayer(repository, layer, findings);
            mine.complete(content);
            return content;
        } catch (SQLException | IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            layerReads.remove(layer.digest(), mine);
            throw e;
        }
    }

    private static ImageFinding unreadable(Descriptor layer, String problem) {
        return new ImageFinding(ImageFinding.Category.LAYER, Severity.MEDIUM, "layer-unreadable",
                "Layer " + layer.digest() + " could not be read: " + problem, Map.of("layer", layer.digest().toString()));
    }

    private Optional<LayerContent> readLayer(String repository, Descriptor layer, List<ImageFinding> findings)
            throws SQLException, IOException {
        Optional<ImageScanStore.Stored> cached = store.layer(layer.digest());
        if (cached.isPresent()) {
            return Optional.of(JSON.readValue(cached.get().json(), LayerContent.class));
        }
        ReadingBody.Read<LayerContent> read = blobs.read(repository, layer, layers::read, readers);
        String problem = read.error() != null ? read.error()
                : !read.check().intact() ? read.check().problem() : null;
        if (problem != null) {
            findings.add(unreadable(layer, problem));
            return Optional.empty();
        }
        store.saveLayer(layer.digest(), JSON.writeValueAsString(read.value()), clock.instant());
        return Optional.of(read.value());
    }

    private static ImageFinding vulnerability(Vulnerability v) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("advisory", v.id());
        d.put("cve", v.cve());
        d.put("aliases", String.join(" ", v.aliases()));
        d.put("package", v.packageName());
        d.put("installed_version", v.installedVersion());
        d.put("fixed_version", v.fixedVersion().orElse(""));
        d.put("source_package", v.sourcePackage());
        d.put("source_version", v.sourceVersion());
        d.put("ecosystem", v.ecosystem());
        d.put("summary", v.summary());
        String title = v.cve() + " (" + capitalized(v.severity()) + ") - In package '" + v.packageName() + "' version "
                + v.installedVersion() + (v.sourcePackage().equals(v.packageName()) ? "" : " (source '" + v.sourcePackage() + "')")
                + v.fixedVersion().map(f -> ", fixed in " + f).orElse(", no fix yet")
                + (v.id().equals(v.cve()) ? "" : " [" + v.id() + "]");
        return new ImageFinding(ImageFinding.Category.VULNERABILITY, v.severity(), v.id(), title, d);
    }

    static String capitalized(Severity s) {
        return s.wire().substring(0, 1).toUpperCase(java.util.Locale.ROOT) + s.wire().substring(1);
    }

    private List<String> databaseWarnings() throws SQLException {
        List<ImportRecord> imports = advisories.imports();
        if (imports.isEmpty()) {
            return List.of("no advisory database imported (driftguard-scan db import): vulnerabilities were not checked");
        }
        Instant last = imports.get(imports.size() - 1).imported();
        Duration age = Duration.between(last, clock.instant());
        if (age.compareTo(policy.maxDbAge()) > 0) {
            return List.of("the advisory database was last imported " + age.toDays() + " days ago, more than max_db_age ("
                    + policy.maxDbAge().toDays() + " days): import fresh OSV archives");
        }
        return List.of();
    }

    private ImageReport applyIgnores(String reference, Digest digest, Sbom sbom, List<ImageFinding> findings,
                                     List<String> warnings) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        List<ImageFinding> kept = new ArrayList<>();
        List<ImageReport.IgnoredFinding> ignored = new ArrayList<>();
        for (Ignore ignore : policy.ignores()) {
            if (!ignore.activeOn(today) && applies(ignore, digest, findings)) {
                warnings.add("ignore of " + ignore.id().map(Object::toString).orElse(ignore.digest().map(Object::toString).orElse(""))
                        + " expired on " + ignore.expires() + "; its findings count again");
            }
        }
        for (ImageFinding f : findings) {
            Optional<Ignore> match = policy.ignores().stream()
                    .filter(i -> i.activeOn(today) && matches(i, digest, f)).findFirst();
            if (match.isPresent()) {
                ignored.add(new ImageReport.IgnoredFinding(f, match.get().reason(), match.get().expires().toString()));
            } else {
                kept.add(f);
            }
        }
        return new ImageReport(reference, digest, sbom, kept, ignored, warnings);
    }

    private static boolean applies(Ignore ignore, Digest digest, List<ImageFinding> findings) {
        return findings.stream().anyMatch(f -> matches(ignore, digest, f));
    }

    private static boolean matches(Ignore ignore, Digest digest, ImageFinding f) {
        if (ignore.digest().isPresent()) {
            return ignore.digest().get().equals(digest);
        }
        String id = ignore.id().orElse("");
        return f.id().equals(id) || List.of(f.details().getOrDefault("aliases", "").split(" ")).contains(id);
    }
}
