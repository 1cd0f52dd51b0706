package io.driftguard.scan.it;

import io.driftguard.core.model.Digest;
import io.driftguard.scan.registry.MediaTypes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Pushes test content with the distribution API's simplest calls: a monolithic blob upload
 * (POST, then PUT with the digest) and a manifest PUT.
 */
final class TestPusher {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI registry;
    /** The Authorization header for a scope, if the registry needs one. */
    private final Function<String, Optional<String>> auth;

    TestPusher(URI registry, Function<String, Optional<String>> auth) {
        this.registry = registry;
        this.auth = auth;
    }

    TestPusher(URI registry) {
        this(registry, scope -> Optional.empty());
    }

    void push(String repository, String tag, TestImage image) throws Exception {
        for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
            pushBlob(repository, blob.getKey(), blob.getValue());
        }
        pushManifest(repository, tag, image.manifest(), MediaTypes.OCI_MANIFEST);
    }

    void pushBlob(String repository, Digest digest, byte[] bytes) throws Exception {
        HttpResponse<String> started = send(repository, HttpRequest.newBuilder(registry.resolve("/v2/" + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        expect(started, 202, "starting the upload of " + digest);
        String location = started.headers().firstValue("Location").orElseThrow();
        URI upload = registry.resolve(location);
        String separator = upload.getRawQuery() == null ? "?" : "&";
        HttpResponse<String> done = send(repository, HttpRequest.newBuilder(URI.create(upload + separator + "digest=" + digest))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        expect(done, 201, "uploading " + digest);
    }

    void pushManifest(String repository, String reference, byte[] manifest, String mediaType) throws Exception {
        HttpResponse<String> r = send(repository, HttpRequest.newBuilder(registry.resolve("/v2/" + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)));
        expect(r, 201, "putting manifest " + repository + ":" + reference);
    }

    private HttpResponse<String> send(String repository, HttpRequest.Builder request) throws IOException, InterruptedException {
        auth.apply("repository:" + repository + ":pull,push").ifPresent(h -> request.header("Authorization", h));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + ": " + response.statusCode() + " " + response.body());
        }
    }
}
