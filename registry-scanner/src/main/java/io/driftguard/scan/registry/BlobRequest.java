package io.driftguard.scan.registry;

import io.driftguard.core.model.Digest;
import java.net.URI;
import java.util.List;

/**
 * {@code GET /v2/NAME/blobs/DIGEST}: a blob's bytes, to be streamed. Registries often redirect to
 * storage elsewhere; {@link RegistryHttp} follows without passing the Authorization header on.
 */
public final class BlobRequest {
    private BlobRequest() {
    }

    /** An open 200 answer; the caller reads and closes it. */
    public static RegistryResponse open(RegistryHttp http, String repository, Digest digest) throws RegistryException {
        URI uri = http.resolve("/v2/" + repository + "/blobs/" + digest);
        RegistryResponse response = http.send("GET", uri, Scopes.pull(repository), List.of());
        if (response.status() != 200) {
            response.close();
            throw new RegistryException("GET " + uri + " answered " + response.status(), response.status(), null);
        }
        return response;
    }
}
