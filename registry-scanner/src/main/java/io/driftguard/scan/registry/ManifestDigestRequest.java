package io.driftguard.scan.registry;

import io.driftguard.core.model.Digest;
import io.driftguard.scan.net.RegistryException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Optional;

/**
 * {@code HEAD /v2/NAME/manifests/TAG}: the tag's current digest without the manifest. Sends the
 * same Accept list as GET, since the digest depends on which manifest the registry picks.
 */
public final class ManifestDigestRequest {
    private ManifestDigestRequest() {
    }

    /**
     * The digest, or empty when the registry answers HEAD badly (no or an invalid header, an
     * unexpected status) and the caller should GET instead.
     *
     * @throws RegistryException with status 404 when the tag is gone; on transport failures
     */
    public static Optional<Digest> head(RegistryHttp http, String repository, String tag) throws RegistryException {
        URI uri = http.resolve("/v2/" + repository + "/manifests/" + tag);
        HttpResponse<Void> response = http.send("HEAD", uri, Scopes.pull(repository), MediaTypes.MANIFEST_ACCEPT,
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 404) {
            throw new RegistryException("HEAD " + uri + " answered 404: tag is gone", 404, null);
        }
        if (response.statusCode() != 200) {
            return Optional.empty();
        }
        try {
            return ManifestRequest.claimedDigest(response);
        } catch (RegistryException e) {
            return Optional.empty();
        }
    }
}
