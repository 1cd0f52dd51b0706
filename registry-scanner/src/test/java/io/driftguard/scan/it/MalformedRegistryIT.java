package io.driftguard.scan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.core.model.Digest;
import io.driftguard.scan.registry.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fake registry sending what real ones should not: every bad answer becomes a finding naming
 * the place, and the good repositories around it are still scanned.
 */
class MalformedRegistryIT {
    private FakeRegistry fake;

    @TempDir
    Path dir;

    @BeforeEach
    void startFake() throws Exception {
        fake = new FakeRegistry();
    }

    @AfterEach
    void stopFake() {
        fake.close();
    }

    @Test
    void eachBadAnswerIsAFindingAndTheRunGoesOn() throws Exception {
        // The catalog pages through opaque and query-only Link targets, which must be used exactly as given.
        catalog("/v2/_catalog?n=2", "</v2/_catalog?n=2&last=opaque%2Ftoken+x>; rel=\"next\"", "bad/big", "bad/blobsize");
        catalog("/v2/_catalog?n=2&last=opaque%2Ftoken+x", "</v2/_catalog?p=3>; rel=\"next\"", "bad/digest", "bad/json");
        catalog("/v2/_catalog?p=3", "<?p=4>; rel=\"next\"", "bad/link", "bad/mediatype");
        catalog("/v2/_catalog?p=4", null, "good/one", "Bad Name");

        for (String repo : List.of("bad/big", "bad/blobsize", "bad/digest", "bad/json", "bad/mediatype")) {
            tags(repo, "/v2/" + repo + "/tags/list?n=2", null, "1");
        }
        tags("good/one", "/v2/good/one/tags/list?n=2", "</v2/good/one/tags/list?n=2&last=Zm9v%3D%3D>; rel=\"next\"", "1", "2");
        tags("good/one", "/v2/good/one/tags/list?n=2&last=Zm9v%3D%3D", null, "3");
        tags("bad/link", "/v2/bad/link/tags/list?n=2", "<http://[broken>; rel=\"next\"", "a");

        for (String tag : List.of("1", "2", "3")) {
            serveImage("good/one", tag, TestImage.random(70, 1, 1000, "amd64"));
        }
        serveImage("bad/link", "a", TestImage.random(71, 1, 1000, "amd64"));
        serveManifest("bad/json", "1", bytes("{\"schemaVersion\":2,"), MediaTypes.OCI_MANIFEST, null);
        serveManifest("bad/mediatype", "1", bytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example.thing+json\"}"),
                "application/vnd.example.thing+json", null);
        TestImage honest = TestImage.random(72, 1, 1000, "amd64");
        Digest lie = Digest.sha256(bytes("something else"));
        serveManifest("bad/digest", "1", honest.manifest(), MediaTypes.OCI_MANIFEST, lie);
        serveManifest("bad/big", "1", new byte[200_000], MediaTypes.OCI_MANIFEST, null);
        byte[] layer = new byte[50];
        Digest layerDigest = Digest.sha256(layer);
        byte[] config = bytes("{}");
        String shortLayer = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"c\",\"digest\":\""
                + Digest.sha256(config) + "\",\"size\":2},\"layers\":[{\"mediaType\":\"l\",\"digest\":\"" + layerDigest + "\",\"size\":100}]}";
        serveManifest("bad/blobsize", "1", bytes(shortLayer), MediaTypes.OCI_MANIFEST, null);
        blob("bad/blobsize", Digest.sha256(config), config);
        blob("bad/blobsize", layerDigest, layer);

        Scanner scanner = new Scanner(dir, "page_size = 2\nmax_manifest_size = 65536", "[[registry]]\nurl = \"" + fake.url() + "\"\n");
        Scanner.Result result = scanner.run();
        assertThat(result.code()).as(result.toString()).isEqualTo(1);

        assertThat(message(result, "error", "bad/json")).contains(":1").contains("invalid JSON");
        assertThat(message(result, "error", "bad/mediatype")).contains("unknown media type 'application/vnd.example.thing+json'");
        assertThat(message(result, "error", "bad/big")).contains("more than the limit of 65536");
        assertThat(message(result, "error", "bad/link")).contains("tag listing stopped after 1 tags").contains("invalid target");
        assertThat(message(result, "tamper", "bad/digest")).contains(lie.toString()).contains("hashing to " + honest.digest());
        assertThat(message(result, "tamper", "bad/blobsize")).contains("sent 50 bytes, its descriptor gives 100");
        assertThat(result.findings("error")).anySatisfy(f ->
                assertThat(f.path("message").asText()).contains("invalid repository name 'Bad Name'"));

        JsonNode counts = result.report().path("summary").path("registries").get(0);
        assertThat(counts.path("repositories").asInt()).isEqualTo(7);
        assertThat(counts.path("tags").asInt()).isEqualTo(9);
        Scanner.Result status = scanner.cli("status", "--wide");
        assertThat(status.code()).as("open tamper fails status").isEqualTo(1);
        assertThat(status.out()).contains("with open tamper").contains("bad/blobsize:1").contains("tamper")
                .contains("sent 50 bytes, its descriptor gives 100");
        assertThat(scanner.cli("history", fake.host() + "/good/one:3").code()).isZero();
        assertThat(scanner.cli("history", fake.host() + "/bad/link:a").code()).isZero();
    }

    @Test
    void aTagMovedToAnUnusableManifestIsStillDrift() throws Exception {
        catalog("/v2/_catalog?n=100", null, "moved/app");
        tags("moved/app", "/v2/moved/app/tags/list?n=100", null, "1");
        TestImage image = TestImage.random(95, 1, 1000, "amd64");
        serveImage("moved/app", "1", image);
        Scanner scanner = new Scanner(dir, "[[registry]]\nurl = \"" + fake.url() + "\"\n");
        assertThat(scanner.run().code()).isZero();
        byte[] broken = bytes("{\"schemaVersion\":2,\"mediaType\":\"application/x-broken\"}");
        serveManifest("moved/app", "1", broken, "application/x-broken", null);
        Scanner.Result result = scanner.run();
        assertThat(result.code()).isEqualTo(1);
        assertThat(message(result, "error", "moved/app")).contains("unknown media type");
        assertThat(message(result, "drift", "moved/app")).contains("moved from " + image.digest() + " (last seen) to "
                + Digest.sha256(broken));
    }

    @Test
    void fallsBackToGetWhenHeadAnswersBadly() throws Exception {
        catalog("/v2/_catalog?n=100", null, "head/broken");
        tags("head/broken", "/v2/head/broken/tags/list?n=100", null, "1");
        TestImage image = TestImage.random(80, 1, 1000, "amd64");
        serveImage("head/broken", "1", image);
        fake.route("HEAD", "/v2/head/broken/manifests/1", 405, Map.of(), "");
        Scanner scanner = new Scanner(dir, "[[registry]]\nurl = \"" + fake.url() + "\"\n");
        Scanner.Result result = scanner.run();
        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(fake.requests()).contains("HEAD /v2/head/broken/manifests/1", "GET /v2/head/broken/manifests/1");
        assertThat(scanner.cli("history", fake.host() + "/head/broken:1").out()).contains(image.digest().toString());
    }

    @Test
    void keepsToTheConcurrencyBoundAndWaitsWhenTheRateLimitIsUsedUp() throws Exception {
        catalog("/v2/_catalog?n=100", null, "busy/app");
        String[] tags = java.util.stream.IntStream.range(0, 12).mapToObj(i -> "t" + i).toArray(String[]::new);
        tags("busy/app", "/v2/busy/app/tags/list?n=100", null, tags);
        for (String tag : tags) {
            serveImage("busy/app", tag, TestImage.random(90, 1, 500, "amd64"));
        }
        fake.route("GET", "/v2/", 200, Map.of("RateLimit-Remaining", "0;w=60", "RateLimit-Reset", "1"), "{}");
        fake.delay(40);
        Scanner scanner = new Scanner(dir, "[[registry]]\nurl = \"" + fake.url() + "\"\nconcurrency = 3\n");
        long start = System.nanoTime();
        Scanner.Result result = scanner.run();
        assertThat(result.code()).as(result.toString()).isZero();
        assertThat(result.report().path("summary").path("tags").asInt()).isEqualTo(12);
        assertThat(fake.maxInFlight()).isEqualTo(3);
        assertThat((System.nanoTime() - start) / 1_000_000).as("waited for RateLimit-Reset").isGreaterThanOrEqualTo(1000);
    }

    private static String message(Scanner.Result result, String type, String repository) {
        return result.findings(type).stream()
                .filter(f -> f.path("details").path("repository").asText().equals(repository))
                .map(f -> f.path("message").asText())
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " finding for " + repository + " in " + result));
    }

    private void catalog(String uri, String link, String... repositories) {
        fake.route("GET", uri, 200, link == null ? Map.of() : Map.of("Link", link),
                "{\"repositories\":[" + quoted(repositories) + "]}");
    }

    private void tags(String repository, String uri, String link, String... tags) {
        fake.route("GET", uri, 200, link == null ? Map.of() : Map.of("Link", link),
                "{\"name\":\"" + repository + "\",\"tags\":[" + quoted(tags) + "]}");
    }

    private void serveImage(String repository, String tag, TestImage image) {
        serveManifest(repository, tag, image.manifest(), MediaTypes.OCI_MANIFEST, null);
        image.blobs().forEach((digest, content) -> blob(repository, digest, content));
    }

    /** Serves manifest bytes by tag and by digest, claiming {@code claimed} (default: their true digest). */
    private void serveManifest(String repository, String tag, byte[] manifest, String contentType, Digest claimed) {
        Digest digest = claimed != null ? claimed : Digest.sha256(manifest);
        Map<String, String> headers = Map.of("Content-Type", contentType, "Docker-Content-Digest", digest.toString());
        fake.route("GET", "/v2/" + repository + "/manifests/" + tag, 200, headers, manifest);
        fake.route("GET", "/v2/" + repository + "/manifests/" + digest, 200, headers, manifest);
    }

    private void blob(String repository, Digest digest, byte[] content) {
        fake.route("GET", "/v2/" + repository + "/blobs/" + digest, 200, Map.of("Content-Type", "application/octet-stream"), content);
    }

    private static String quoted(String... names) {
        return String.join(",", java.util.Arrays.stream(names).map(n -> "\"" + n + "\"").toList());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
