package io.driftguard.daemon.admission;

import io.driftguard.core.event.Severity;
import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Approvals;
import io.driftguard.core.store.ImageScans;
import io.driftguard.daemon.policy.AdmissionRule;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The image rules: no latest tag, only listed registries, only digests approved with
 * {@code driftguard-scan approve}, no vulnerability above {@code max_severity} in the image's
 * latest {@code driftguard-scan} result. The registry digest is what the engine recorded when it
 * pulled the image (RepoDigests); an image that was built or loaded has none and is not approved.
 * A scan is found by the image id (the scanner keeps every result under the config's digest too,
 * so a local image scanned with {@code image docker:NAME} counts) or by a registry digest.
 */
final class ImageJudge {
    private final EngineLookup engine;
    private final Approvals approvals;
    private final ImageScans scans;

    ImageJudge(EngineLookup engine, Approvals approvals, ImageScans scans) {
        this.engine = engine;
        this.approvals = approvals;
        this.scans = scans;
    }

    List<String> refusals(AdmissionRule rule, DockerReference image) {
        List<String> refused = new ArrayList<>();
        if (!rule.latestTag() && image.latest()) {
            refused.add("the latest tag (" + image.text() + ")");
        }
        if (rule.registries() != null && !image.imageId()
                && rule.registries().stream().noneMatch(image::fromRegistry)) {
            refused.add("images from " + image.registry() + " (" + image.text() + ")");
        }
        if (rule.approvedOnly() || rule.maxSeverity() != null) {
            // An image the engine does not have is not judged here: the create fails by itself.
            Optional<EngineLookup.LocalImage> local = engine.image(image.text());
            if (local.isPresent() && rule.approvedOnly()) {
                approval(image, local.get()).ifPresent(refused::add);
            }
            if (local.isPresent() && rule.maxSeverity() != null) {
                vulnerabilities(image, local.get(), rule.maxSeverity()).ifPresent(refused::add);
            }
        }
        return refused;
    }

    /** Why the image's latest scan refuses it under {@code max}; empty when it found nothing above. */
    private Optional<String> vulnerabilities(DockerReference image, EngineLookup.LocalImage local, Severity max) {
        Optional<ImageScans.Latest> latest = Optional.empty();
        try {
            for (Digest digest : scannedAs(local)) {
                Optional<ImageScans.Latest> found = scans.latest(digest);
                if (found.isPresent() && (latest.isEmpty() || found.get().scanned().isAfter(latest.get().scanned()))) {
                    latest = found;
                }
            }
        } catch (SQLException e) {
            throw new Unjudgeable("the image scans cannot be read from the store: " + e.getMessage());
        }
        if (latest.isEmpty()) {
            return Optional.of("an unscanned image (" + image.text() + " has no driftguard-scan result; max_severity "
                    + max.wire() + " needs one: driftguard-scan image " + image.text() + ")");
        }
        Optional<Severity> worst = latest.get().worst();
        if (worst.isPresent() && worst.get().compareTo(max) < 0) {
            return Optional.of("an image with " + worst.get().wire() + " vulnerabilities (" + image.text() + ", scanned "
                    + latest.get().scanned() + "; max_severity is " + max.wire() + ")");
        }
        return Optional.empty();
    }

    /** The digests a scan of the image may be kept under: its id, and every registry digest it was pulled as. */
    private static List<Digest> scannedAs(EngineLookup.LocalImage local) {
        List<Digest> digests = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        texts.add(local.id());
        for (String repoDigest : local.repoDigests()) {
            texts.add(repoDigest.substring(repoDigest.indexOf('@') + 1));
        }
        for (String text : texts) {
            try {
                digests.add(Digest.parse(text));
            } catch (IllegalArgumentException | NullPointerException ignored) {
                // An id or RepoDigest in a form we do not read names no scan.
            }
        }
        return digests;
    }

    /** Why the image is not approved; empty when it is. */
    private Optional<String> approval(DockerReference image, EngineLookup.LocalImage local) {
        List<DockerReference> pulledAs = new ArrayList<>();
        for (String repoDigest : local.repoDigests()) {
            try {
                DockerReference pulled = DockerReference.parse(repoDigest);
                if (image.imageId() || pulled.name().equals(image.name())) {
                    pulledAs.add(pulled);
                }
            } catch (Unjudgeable ignored) {
                // A RepoDigest the engine wrote in a form we do not read names no approved digest.
            }
        }
        if (pulledAs.isEmpty()) {
            return Optional.of("an image that has no registry digest (" + image.text()
                    + " was built or loaded here, not pulled; approved_only needs a pulled, approved digest)");
        }
        try {
            for (DockerReference pulled : pulledAs) {
                if (approved(image, pulled)) {
                    return Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw new Unjudgeable("the approvals cannot be read from the store: " + e.getMessage());
        }
        return Optional.of("an unapproved image (" + image.text() + " is " + pulledAs.get(0).digest()
                + ", not approved with driftguard-scan approve)");
    }

    private boolean approved(DockerReference image, DockerReference pulled) throws SQLException {
        Digest digest = pulled.digest();
        Optional<String> tag = image.effectiveTag();
        if (tag.isPresent()) {
            return approvals.approved(pulled.registry(), pulled.repository(), tag.get())
                    .map(digest::equals).orElse(false);
        }
        boolean digestMatches = image.digest() == null || image.digest().equals(digest);
        return digestMatches && approvals.approvedForSomeTag(pulled.registry(), pulled.repository(), digest);
    }
}
