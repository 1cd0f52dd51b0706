package io.driftguard.scan.run;

import io.driftguard.core.model.Digest;
import io.driftguard.core.model.ImageRef;
import io.driftguard.scan.config.CredentialSource;
import io.driftguard.scan.config.NameFilter;
import io.driftguard.scan.config.RegistryConfig;
import io.driftguard.scan.config.ScanConfig;
import io.driftguard.scan.hashing.BlobVerifier;
import io.driftguard.scan.image.ImageReport;
import io.driftguard.scan.image.ImageScanner;
import io.driftguard.scan.layer.TarLimits;
import io.driftguard.scan.net.Loopback;
import io.driftguard.scan.net.RegistryException;
import io.driftguard.scan.registry.FetchedManifest;
import io.driftguard.scan.registry.MalformedManifestException;
import io.driftguard.scan.registry.Manifest;
import io.driftguard.scan.registry.ManifestParser;
import io.driftguard.scan.registry.ManifestRequest;
import io.driftguard.scan.registry.RegistryClients;
import io.driftguard.scan.registry.RegistryHttp;
import io.driftguard.scan.store.AdvisoryStore;
import io.driftguard.scan.store.ImageScanStore;
import io.driftguard.scan.store.ScannerStore;
import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.util.function.Consumer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code image REF} for a registry reference: the registry's [[registry]] table when one names its
 * host (credentials, CA), else anonymous https (plain http for a loopback address); an index is
 * resolved to the requested platform.
 */
public final class OneImage {
    /** Why an image could not be scanned at all. */
    public static final class Unscannable extends Exception {
        Unscannable(String message) {
            super(message);
        }
    }

    private final ScanConfig config;
    private final ScannerStore scanner;
    private final ImageScanStore images;
    private final AdvisoryStore advisories;
    private final Clock clock;
    private final Consumer<String> progress;

    public OneImage(ScanConfig config, ScannerStore scanner, ImageScanStore images, AdvisoryStore advisories, Clock clock,
                    Consumer<String> progress) {
        this.config = config;
        this.scanner = scanner;
        this.images = images;
        this.advisories = advisories;
        this.clock = clock;
        this.progress = progress;
    }

    public ImageReport scan(ImageRef ref, String platform) throws Unscannable, SQLException, IOException {
        RegistryConfig registry = registryFor(ref.registry());
        ExecutorService readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "layer-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            RegistryHttp http = RegistryClients.create(registry, config, clock, progress);
            String reference = ref.digestValue().map(Digest::toString).orElse(ref.tagName().orElse("latest"));
            FetchedManifest fetched = ManifestRequest.get(http, ref.repository(), reference, config.maxManifestBytes());
            Digest digest = fetched.computed();
            if (ref.digest() != null && !ref.digest().equals(digest)) {
                throw new Unscannable(ref + ": the registry served a manifest hashing to " + digest);
            }
            Manifest manifest = ManifestParser.parse(fetched.bytes(), fetched.contentType());
            if (manifest instanceof Manifest.Index index) {
                Optional<Manifest.PlatformManifest> child = index.manifests().stream()
                        .filter(m -> m.platform().equals(platform)).findFirst();
                if (child.isEmpty()) {
                    throw new Unscannable(ref + " is an index without platform " + platform + " (it has: "
                            + String.join(", ", index.manifests().stream().map(Manifest.PlatformManifest::platform).toList()) + ")");
                }
                digest = child.get().descriptor().digest();
                FetchedManifest childBytes = ManifestRequest.get(http, ref.repository(), digest.toString(), config.maxManifestBytes());
                if (!childBytes.computed().equals(digest)) {
                    throw new Unscannable(ref + ": platform manifest " + digest + " was served with content hashing to "
                            + childBytes.computed());
                }
                manifest = ManifestParser.parse(childBytes.bytes(), childBytes.contentType());
            }
            if (!(manifest instanceof Manifest.Image image)) {
                throw new Unscannable(ref + ": nested indexes are not scanned");
            }
            BlobVerifier blobs = new BlobVerifier(http, scanner, false, clock);
            return new ImageScanner(blobs, images, advisories, config.images(), TarLimits.DEFAULT, readers, clock)
                    .scan(ref.toString(), ref.repository(), digest, image);
        } catch (RegistryException e) {
            throw new Unscannable(ref + ": " + e.getMessage());
        } catch (MalformedManifestException e) {
            throw new Unscannable(ref + ": unusable manifest: " + e.getMessage());
        } finally {
            readers.shutdownNow();
        }
    }

    private RegistryConfig registryFor(String host) {
        for (RegistryConfig r : config.registries()) {
            if (r.name().equals(host)) {
                return r;
            }
        }
        String hostOnly = host.startsWith("[") ? host.substring(1, host.indexOf(']')) : host.replaceFirst(":[0-9]+$", "");
        URI url = URI.create((Loopback.isLoopback(hostOnly) ? "http://" : "https://") + host);
        return new RegistryConfig(url, host, List.of(), NameFilter.ALL, NameFilter.ALL, List.of(), new CredentialSource.Anonymous(),
                Optional.empty(), false, 4);
    }
}
