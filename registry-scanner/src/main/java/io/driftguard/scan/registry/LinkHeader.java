package io.driftguard.scan.registry;

import io.driftguard.scan.net.Printable;
import io.driftguard.scan.net.RegistryException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code rel="next"} target of an RFC 8288 {@code Link} header, as registries use it for
 * pagination. The target is kept exactly as given (an opaque {@code last=} token must not be
 * re-encoded) and resolved against the URL of the page that carried it.
 */
public final class LinkHeader {
    /** One link-value: {@code <target>} followed by parameters up to the next link-value. */
    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,<]+)*)");
    private static final Pattern REL_NEXT = Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";]*)\"?");

    private LinkHeader() {
    }

    /**
     * The next page's URL, or empty when no header names one.
     *
     * @throws RegistryException when a header is present but its next target is not a usable URL
     */
    public static Optional<URI> next(List<String> headers, URI page) throws RegistryException {
        for (String header : headers) {
            Matcher link = LINK.matcher(header);
            boolean any = false;
            while (link.find()) {
                any = true;
                if (isNext(link.group(2))) {
                    return Optional.of(resolve(link.group(1), page, header));
                }
            }
            if (!any && !header.isBlank()) {
                throw new RegistryException("malformed Link header '" + Printable.of(header) + "' on " + page);
            }
        }
        return Optional.empty();
    }

    private static boolean isNext(String params) {
        Matcher rel = REL_NEXT.matcher(params);
        while (rel.find()) {
            for (String value : rel.group(1).trim().split("\\s+")) {
                if (value.equalsIgnoreCase("next")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static URI resolve(String target, URI page, String header) throws RegistryException {
        try {
            URI reference = new URI(target);
            // java.net.URI follows RFC 2396 and drops the last path segment for "?query"; RFC 3986 keeps it.
            URI next = target.startsWith("?")
                    ? new URI(page.getScheme() + "://" + page.getRawAuthority() + page.getRawPath() + target)
                    : page.resolve(reference);
            if (!sameOrigin(next, page)) {
                throw new RegistryException("Link header on " + page + " points to another host: " + Printable.of(target));
            }
            return next;
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new RegistryException("Link header on " + page + " has an invalid target '" + Printable.of(target) + "': " + e.getMessage());
        }
    }

    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
