package io.driftguard.scan.registry;

import io.driftguard.core.model.Digest;
import io.driftguard.scan.net.RegistryException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Optional;

/** {@code GET /v2/NAME/manifests/REFERENCE}: the manifest bytes, hashed as received. */
public final class ManifestRequest {
    private ManifestRequest() {
    }

    /**
     * @param reference a validated tag or a digest
     * @throws RegistryException on any answer but 200 (status 404 when the tag or digest is unknown),
     *     a body over {@code maxBytes}, or an unparseable {@code Docker-Content-Digest}
     */
    public static FetchedManifest get(RegistryHttp http, String repository, String reference, long maxBytes)
            throws RegistryException {
        URI uri = http.resolve("/v2/" + repository + "/manifests/" + reference);
        HttpResponse<byte[]> response = http.send("GET", uri, Scopes.pull(repository), MediaTypes.MANIFEST_ACCEPT,
                LimitedBody.handler(maxBytes));
        if (response.statusCode() != 200) {
            throw new RegistryException("GET " + uri + " answered " + response.statusCode(), response.statusCode(), null);
        }
        byte[] bytes = LimitedBody.of(response, maxBytes);
        Digest computed = Digest.sha256(bytes);
        Optional<Digest> claimed = claimedDigest(response);
        // Re-hash with the claimed algorithm if the registry uses another one.
        if (claimed.isPresent() && !claimed.get().algorithm().equals(computed.algorithm())) {
            computed = Digest.of(claimed.get().algorithm(), claimed.get().newHasher().digest(bytes));
        }
        return new FetchedManifest(bytes, response.headers().firstValue("Content-Type").orElse(""), computed, claimed);
    }

    static Optional<Digest> claimedDigest(HttpResponse<?> response) throws RegistryException {
        Optional<String> header = response.headers().firstValue("Docker-Content-Digest");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Digest.parse(header.get().trim()));
        } catch (IllegalArgumentException e) {
            throw new RegistryException(response.uri() + " sent an invalid Docker-Content-Digest: " + e.getMessage());
        }
    }
}
