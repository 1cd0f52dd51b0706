package io.driftguard.core.model;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fully qualified image reference {@code host[:port]/repository[:tag][@digest]}. The grammar is
 * that of the distribution project's reference package (reference/regexp.go); unlike the Docker
 * CLI, no default registry or "library/" is filled in, so a reference always says where it points.
 */
public record ImageRef(String registry, String repository, String tag, Digest digest) {
    /** A path component: lower-case alphanumerics separated by '.', '_', '__' or dashes. */
    public static final Pattern REPOSITORY = Pattern.compile(
            "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    public static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    /** A registry host name or IP with an optional port; IPv6 in brackets. */
    public static final Pattern REGISTRY = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?");
    private static final Pattern REFERENCE = Pattern.compile(
            "(?<registry>[^/]+)/(?<repository>[^:@]+)(?::(?<tag>[^@]+))?(?:@(?<digest>.+))?");

    public ImageRef {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(repository, "repository");
        if (!REGISTRY.matcher(registry).matches()) {
            throw new IllegalArgumentException("invalid registry host '" + registry + "'");
        }
        if (!isRepository(repository)) {
            throw new IllegalArgumentException("invalid repository name '" + repository
                    + "' (lower-case path components of [a-z0-9] joined by '.', '_', '__' or '-', at most 255 characters)");
        }
        if (tag != null && !isTag(tag)) {
            throw new IllegalArgumentException("invalid tag '" + tag + "' (at most 128 of [A-Za-z0-9_.-], not starting with '.' or '-')");
        }
    }

    /** Parses {@code host[:port]/repo[:tag][@sha256:...]}; the host part is required. */
    public static ImageRef parse(String text) {
        Objects.requireNonNull(text, "reference");
        Matcher m = REFERENCE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an image reference host[:port]/repository[:tag][@digest]: '" + text + "'");
        }
        String digest = m.group("digest");
        return new ImageRef(m.group("registry"), m.group("repository"), m.group("tag"),
                digest == null ? null : Digest.parse(digest));
    }

    public static boolean isRepository(String name) {
        return name.length() <= 255 && REPOSITORY.matcher(name).matches();
    }

    public static boolean isTag(String name) {
        return TAG.matcher(name).matches();
    }

    public Optional<String> tagName() {
        return Optional.ofNullable(tag);
    }

    public Optional<Digest> digestValue() {
        return Optional.ofNullable(digest);
    }

    @Override
    public String toString() {
        return registry + "/" + repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
