package io.driftguard.daemon.admission;

import io.driftguard.core.model.Digest;
import io.driftguard.core.model.ImageRef;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image as a create request names it, read the way Docker reads it (distribution's
 * reference.ParseNormalizedNamed): a first component without '.' or ':' that is not "localhost"
 * is a Docker Hub repository, and a single component is in "library/". An image id (hex, or
 * sha256:hex) names no registry and no tag.
 */
record DockerReference(String text, String registry, String repository, String tag, Digest digest, boolean imageId) {
    static final String DOCKER_HUB = "docker.io";
    private static final Pattern ID = Pattern.compile("(sha256:)?[0-9a-f]{12,64}");

    static DockerReference parse(String text) {
        if (text == null || text.isBlank()) {
            throw new Unjudgeable("the request names no image");
        }
        if (ID.matcher(text).matches()) {
            return new DockerReference(text, null, null, null, null, true);
        }
        String rest = text;
        Digest digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            try {
                digest = Digest.parse(rest.substring(at + 1));
            } catch (IllegalArgumentException e) {
                throw new Unjudgeable("the image reference '" + text + "' has an invalid digest");
            }
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (!ImageRef.REGISTRY.matcher(registry).matches() || !ImageRef.isRepository(rest)
                || (tag != null && !ImageRef.TAG.matcher(tag).matches())) {
            throw new Unjudgeable("'" + text + "' is not an image reference Docker would accept");
        }
        return new DockerReference(text, registry, rest, tag, digest, false);
    }

    /** Without tag or digest Docker takes ":latest". */
    boolean latest() {
        return !imageId && digest == null && (tag == null || tag.equals("latest"));
    }

    /** The tag Docker resolves, "latest" when none is given; empty for an id or a digest-only reference. */
    Optional<String> effectiveTag() {
        if (imageId || (tag == null && digest != null)) {
            return Optional.empty();
        }
        return Optional.of(tag == null ? "latest" : tag);
    }

    /** Docker Hub answers to several names; a policy may list any of them. */
    boolean fromRegistry(String allowed) {
        if (registry == null) {
            return false;
        }
        if (registry.equals(DOCKER_HUB)) {
            return allowed.equals(DOCKER_HUB) || allowed.equals("index.docker.io") || allowed.equals("registry-1.docker.io");
        }
        return registry.equalsIgnoreCase(allowed);
    }

    String name() {
        return registry + "/" + repository;
    }
}
