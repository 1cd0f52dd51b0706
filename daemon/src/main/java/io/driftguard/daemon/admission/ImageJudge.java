package io.driftguard.daemon.admission;

import io.driftguard.core.model.Digest;
import io.driftguard.core.store.Approvals;
import io.driftguard.daemon.policy.AdmissionRule;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The image rules: no latest tag, only listed registries, only digests approved with
 * {@code driftguard-scan approve}. The registry digest is what the engine recorded when it pulled
 * the image (RepoDigests); an image that was built or loaded has none and is not approved.
 */
final class ImageJudge {
    private final EngineLookup engine;
    private final Approvals approvals;

    ImageJudge(EngineLookup engine, Approvals approvals) {
        this.engine = engine;
        this.approvals = approvals;
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
        if (rule.approvedOnly()) {
            approval(image).ifPresent(refused::add);
        }
        return refused;
    }

    /** Why the image is not approved; empty when it is, or when the engine does not have it (create then fails). */
    private Optional<String> approval(DockerReference image) {
        Optional<EngineLookup.LocalImage> local = engine.image(image.text());
        if (local.isEmpty()) {
            return Optional.empty();
        }
        List<DockerReference> pulledAs = new ArrayList<>();
        for (String repoDigest : local.get().repoDigests()) {
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
