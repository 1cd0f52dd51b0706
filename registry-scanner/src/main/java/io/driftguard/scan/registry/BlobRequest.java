package io.driftguard.scan.registry;

import io.driftguard.core.model.Digest;
import io.driftguard.scan.net.RegistryException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * {@code GET /v2/NAME/blobs/DIGEST}: a blob's bytes, handed to a body subscriber as they arrive.
 * Registries often redirect to storage elsewhere; {@link RegistryHttp} follows without passing
 * the Authorization header on.
 */
public final class BlobRequest {
    private BlobRequest() {
    }

    /** What {@code body} made of the blob. */
    public static <T> T get(RegistryHttp http, String repository, Digest digest, HttpResponse.BodyHandler<T> body)
            throws RegistryException {
        URI uri = http.resolve("/v2/" + repository + "/blobs/" + digest);
        HttpResponse<T> response = http.stream("GET", uri, Scopes.pull(repository), List.of(), body);
        if (response.statusCode() != 200) {
            throw new RegistryException("GET " + uri + " answered " + response.statusCode(), response.statusCode(), null);
        }
        return response.body();
    }
}
