package io.driftguard.scan.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import io.driftguard.scan.advisory.Vulnerability;
import io.driftguard.scan.advisory.VulnerabilityMatcher;
import io.driftguard.scan.config.Ignore;
import io.driftguard.scan.config.ImagePolicy;
import io.driftguard.scan.layer.ImageView;
import io.driftguard.scan.layer.LayerContent;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an image's read contents mean, wherever they were read from (a registry's blobs or a
 * {@code docker save} stream): the layers applied, the SBOM kept, vulnerable packages,
 * misconfigurations and secrets found, ignores applied last, and the result kept as the image's
 * latest scan.
 */
public final class ImageAnalysis {
    private final ImageScanStore store;
    private final AdvisoryStore advisories;
    private final ImagePolicy policy;
    private final Clock clock;

    public ImageAnalysis(ImageScanStore store, AdvisoryStore advisories, ImagePolicy policy, Clock clock) {
        this.store = store;
        this.advisories = advisories;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * The report of an image from its config and its layers' contents in order (keyed by layer
     * digest), with the findings reading them made; kept under {@code digest} and {@code imageId}.
     */
    public ImageReport report(String reference, Digest digest, Digest imageId, JsonNode config,
                              List<Map.Entry<String, LayerContent>> contents, List<ImageFinding> found)
            throws SQLException, IOException {
        List<ImageFinding> findings = new ArrayList<>(found);
        ImageView view = ImageView.of(contents);
        for (String problem : view.problems()) {
            findings.add(new ImageFinding(ImageFinding.Category.LAYER, Severity.LOW, "layer-unreadable",
                    "Layer " + problem, Map.of("problem", problem)));
        }
        Sbom sbom = new Sbom(view.osRelease(), contents.stream().map(Map.Entry::getKey).toList(), view.packages());
        store.saveSbom(digest, ImageScanner.JSON.writeValueAsString(sbom), clock.instant());
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
        String worst = report.of(ImageFinding.Category.VULNERABILITY).stream().map(ImageFinding::severity)
                .min(Enum::compareTo).map(Severity::wire).orElse(null);
        String json = ImageScanner.JSON.writeValueAsString(findings);
        store.saveResult(digest, worst, json, clock.instant());
        // Also under the image id (the config's digest, what Docker names a pulled or loaded image
        // by), so that admission finds the scan of what the engine has, however it got there.
        if (!imageId.equals(digest)) {
            store.saveResult(imageId, worst, json, clock.instant());
        }
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
        return stored.isEmpty() ? Optional.empty() : Optional.of(ImageScanner.JSON.readValue(stored.get().json(), Sbom.class));
    }

    /** Every finding of the digest's latest scan, ignores not applied; empty when never scanned. */
    public List<ImageFinding> findings(Digest digest) throws SQLException, IOException {
        Optional<ImageScanStore.Stored> stored = store.result(digest);
        return stored.isEmpty() ? List.of() : List.of(ImageScanner.JSON.readValue(stored.get().json(), ImageFinding[].class));
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
