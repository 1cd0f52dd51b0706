package io.driftguard.scan.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import io.driftguard.scan.config.ImagePolicy;
import io.driftguard.scan.hashing.BlobVerifier;
import io.driftguard.scan.hashing.ReadingBody;
import io.driftguard.scan.layer.LayerContent;
import io.driftguard.scan.layer.LayerReader;
import io.driftguard.scan.layer.TarLimits;
import io.driftguard.scan.registry.Descriptor;
import io.driftguard.scan.registry.Manifest;
import io.driftguard.scan.registry.MediaTypes;
import io.driftguard.scan.store.AdvisoryStore;
import io.driftguard.scan.store.ImageScanStore;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Scans one image manifest of a registry: reads its config and every layer not read before (each layer in the
 * same download as its hash check), applies the layers, keeps the SBOM, and finds vulnerable
 * packages, misconfigurations and secrets ({@link ImageAnalysis}). Ignores are applied last, and the result is kept as the
 * digest's latest scan. One instance serves one run (or one {@code image} command).
 */
public final class ImageScanner {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CONFIG_BYTES = 8 << 20;

    private final BlobVerifier blobs;
    private final ImageScanStore store;
    private final LayerReader layers;
    private final Executor readers;
    private final Clock clock;
    private final ImageAnalysis analysis;
    private final Map<Digest, CompletableFuture<ImageReport>> scans = new ConcurrentHashMap<>();
    private final Map<Digest, CompletableFuture<Optional<LayerContent>>> layerReads = new ConcurrentHashMap<>();
    private final Map<Digest, ImageReport> current = new ConcurrentHashMap<>();

    public ImageScanner(BlobVerifier blobs, ImageScanStore store, AdvisoryStore advisories, ImagePolicy policy,
                        TarLimits limits, Executor readers, Clock clock) {
        this.blobs = blobs;
        this.store = store;
        this.layers = new LayerReader(limits);
        this.readers = readers;
        this.clock = clock;
        this.analysis = new ImageAnalysis(store, advisories, policy, clock);
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
            current.put(digest, report);
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
        return analysis.report(reference, digest, image.config().digest(), config, contents, findings);
    }

    /**
     * The digest's latest result if still current, see {@link ImageAnalysis#latest}; read from the
     * store once per run however many tags point to the digest (a digest-only pass over many tags
     * of one image would otherwise parse the same result for each).
     */
    public Optional<ImageReport> latest(String reference, Digest digest) throws SQLException, IOException {
        ImageReport known = current.get(digest);
        if (known == null) {
            Optional<ImageReport> stored = analysis.latest(reference, digest);
            if (stored.isEmpty()) {
                return stored;
            }
            known = stored.get();
            current.putIfAbsent(digest, known);
        }
        return Optional.of(new ImageReport(reference, digest, known.sbom(), known.findings(), known.ignored(), known.warnings()));
    }

    public Optional<Sbom> sbom(Digest digest) throws SQLException, IOException {
        return analysis.sbom(digest);
    }

    /** Every finding of the digest's latest scan, ignores not applied; empty when never scanned. */
    public List<ImageFinding> findings(Digest digest) throws SQLException, IOException {
        return analysis.findings(digest);
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

}
