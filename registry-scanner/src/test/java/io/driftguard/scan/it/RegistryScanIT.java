package io.driftguard.scan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.core.model.Digest;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner against a real docker-registry: history, drift, approval, tamper, multi-arch, pagination. */
class RegistryScanIT {
    private static LocalRegistry registry;
    private static TestPusher pusher;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.start("");
        pusher = new TestPusher(registry.url());
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void recordsTagsThenFlagsDriftWithBothDigestsUntilApproved() throws Exception {
        TestImage first = TestImage.random(1, 2, 4096, "amd64");
        TestImage other = TestImage.random(2, 1, 4096, "amd64");
        pusher.push("team/app", "1.0", first);
        pusher.push("team/app", "2.0", other);
        Scanner scanner = new Scanner(dir, registryTable("repositories = [\"team/app\"]"));
        String tag = registry.host() + "/team/app:1.0";

        Scanner.Result initial = scanner.run();
        assertThat(initial.code()).as(initial.toString()).isZero();
        assertThat(initial.report().path("summary").path("tags").asInt()).isEqualTo(2);
        assertThat(scanner.cli("history", tag).out()).contains(first.digest().toString()).contains("current");
        assertThat(scanner.cli("approve", tag).code()).isZero();

        TestImage rebuilt = TestImage.random(3, 2, 4096, "amd64");
        pusher.push("team/app", "1.0", rebuilt);
        for (int run = 0; run < 2; run++) {
            Scanner.Result drifted = scanner.run();
            assertThat(drifted.code()).as(drifted.toString()).isEqualTo(1);
            List<JsonNode> drift = drifted.findings("drift");
            assertThat(drift).hasSize(1);
            JsonNode details = drift.get(0).path("details");
            assertThat(details.path("registry").asText()).isEqualTo(registry.host());
            assertThat(details.path("repository").asText()).isEqualTo("team/app");
            assertThat(details.path("tag").asText()).isEqualTo("1.0");
            assertThat(details.path("approved_digest").asText()).isEqualTo(first.digest().toString());
            assertThat(details.path("digest").asText()).isEqualTo(rebuilt.digest().toString());
            assertThat(drift.get(0).path("kind").asText()).isEqualTo("registry");
            assertThat(drift.get(0).path("message").asText()).isEqualTo("Tag " + tag + " moved from " + first.digest()
                    + " (approved) to " + rebuilt.digest());
        }
        Scanner.Result status = scanner.cli("status");
        assertThat(status.code()).as("open drift fails status").isEqualTo(1);
        assertThat(status.out()).contains("1 with open drift").contains(tag).contains("drift")
                .contains(first.digest().shortForm()).contains(rebuilt.digest().shortForm());
        JsonNode json = scanner.cli("status", "--json").report();
        assertThat(json.path("exit_code").asInt()).isEqualTo(1);
        assertThat(json.path("open").get(0).path("approved_digest").asText()).isEqualTo(first.digest().toString());
        assertThat(json.path("open").get(0).path("current_digest").asText()).isEqualTo(rebuilt.digest().toString());
        assertThat(json.path("open").get(0).path("drift_from").asText()).isEqualTo(first.digest().toString());

        Scanner.Result approved = scanner.cli("approve", tag);
        assertThat(approved.out()).contains("approved " + tag + " at " + rebuilt.digest());
        assertThat(scanner.cli("status").code()).as("approved: nothing open").isZero();
        Scanner.Result clean = scanner.run();
        assertThat(clean.code()).as(clean.toString()).isZero();
        JsonNode history = scanner.cli("history", tag, "--json").report();
        assertThat(history.path("digests")).hasSize(2);
        assertThat(history.path("digests").get(1).path("approved").asBoolean()).isTrue();
        assertThat(history.path("digests").get(1).path("first_seen").asText()).endsWith("Z");
        String table = scanner.cli("history", tag).out();
        assertThat(table).contains(first.digest().toString()).contains(rebuilt.digest() + "  ");
        assertThat(table.lines().filter(l -> l.contains("approved current")).toList()).singleElement().asString()
                .contains(rebuilt.digest().toString());

        // Approving an older digest by REF@digest brings the drift back.
        assertThat(scanner.cli("approve", tag + "@" + first.digest()).code()).isZero();
        assertThat(scanner.run().findings("drift")).hasSize(1);
    }

    @Test
    void withNothingApprovedComparesWithTheLastDigestSeen() throws Exception {
        pusher.push("team/unapproved", "latest", TestImage.random(10, 1, 1000, "amd64"));
        Scanner scanner = new Scanner(dir, registryTable("repositories = [\"team/unapproved\"]"));
        assertThat(scanner.run().code()).isZero();
        TestImage next = TestImage.random(11, 1, 1000, "amd64");
        pusher.push("team/unapproved", "latest", next);
        Scanner.Result moved = scanner.run();
        assertThat(moved.findings("drift")).singleElement().satisfies(f ->
                assertThat(f.path("message").asText()).contains("(last seen) to " + next.digest()));
        assertThat(scanner.run().code()).isZero();
        // The run reports a move once; status keeps it open until someone approves.
        Scanner.Result status = scanner.cli("status");
        assertThat(status.code()).as(status.toString()).isEqualTo(1);
        assertThat(status.out()).contains("team/unapproved:latest").contains("moved from");
        assertThat(scanner.cli("approve", registry.host() + "/team/unapproved:latest").code()).isZero();
        assertThat(scanner.cli("status").code()).isZero();
    }

    @Test
    void approveTakesSeveralRefsOrAGlobAndRefusesUnseenDigestsWithoutForce() throws Exception {
        TestImage a = TestImage.random(20, 1, 1000, "amd64");
        TestImage b = TestImage.random(21, 1, 1000, "amd64");
        pusher.push("glob/one", "1", a);
        pusher.push("glob/two", "1", b);
        pusher.push("glob/two", "2", b);
        Scanner scanner = new Scanner(dir, registryTable("repositories = [\"glob/one\", \"glob/two\"]"));
        assertThat(scanner.run().code()).isZero();
        String host = registry.host();

        Scanner.Result unseen = scanner.cli("approve", host + "/glob/one:1@" + b.digest());
        assertThat(unseen.code()).isEqualTo(2);
        assertThat(unseen.err()).contains("has never pointed to " + b.digest()).contains("--force").contains("nothing approved");
        Scanner.Result forced = scanner.cli("approve", "--force", host + "/glob/one:1@" + b.digest());
        assertThat(forced.code()).as(forced.toString()).isZero();
        assertThat(forced.out()).contains("forced");

        Scanner.Result several = scanner.cli("approve", host + "/glob/one:1", host + "/glob/two:2");
        assertThat(several.out()).contains("approved " + host + "/glob/one:1 at " + a.digest())
                .contains("approved " + host + "/glob/two:2 at " + b.digest());
        Scanner.Result glob = scanner.cli("approve", host + "/glob/two:*");
        assertThat(glob.out().lines()).hasSize(2).allMatch(l -> l.contains("/glob/two:") && l.contains(b.digest().toString()));
        Scanner.Result none = scanner.cli("approve", host + "/glob/three/*");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("matches no tag");
        Scanner.Result partly = scanner.cli("approve", host + "/glob/one:1", host + "/glob/none:1");
        assertThat(partly.code()).as("one bad REF: nothing approved").isEqualTo(2);
        assertThat(partly.out()).isEmpty();
    }

    @Test
    void flagsABlobAlteredOnTheRegistrysDisk() throws Exception {
        TestImage image = TestImage.random(20, 2, 64 * 1024, "amd64");
        pusher.push("team/tampered", "1", image);
        Scanner scanner = new Scanner(dir, registryTable("repositories = [\"team/tampered\"]"));
        assertThat(scanner.run().code()).isZero();

        Digest layer = image.layers().get(1);
        try (RandomAccessFile data = new RandomAccessFile(registry.blobData(layer.toString()).toFile(), "rw")) {
            data.seek(1000);
            int b = data.read();
            data.seek(1000);
            data.write(b ^ 0xff);
        }
        Scanner.Result cheap = scanner.run();
        assertThat(cheap.code()).as("verified blobs are skipped without --deep").isZero();
        assertThat(cheap.report().path("summary").path("registries").get(0).path("blobs_hashed").asInt()).isZero();

        Scanner.Result deep = scanner.run("--deep");
        assertThat(deep.code()).as(deep.toString()).isEqualTo(1);
        JsonNode tamper = deep.findings("tamper").get(0);
        assertThat(tamper.path("details").path("digest").asText()).isEqualTo(layer.toString());
        assertThat(tamper.path("details").path("tag").asText()).isEqualTo("1");
        assertThat(tamper.path("severity").asText()).isEqualTo("critical");
        assertThat(tamper.path("message").asText()).contains(layer.toString()).contains("content hashes to sha256:");
        assertThat(deep.findings("tamper")).hasSize(1);
        // A tampered blob is not marked verified, so the next ordinary run reports it again.
        assertThat(scanner.run().findings("tamper")).hasSize(1);
    }

    @Test
    void hashesEachSharedBlobOncePerRun() throws Exception {
        TestImage base = TestImage.random(30, 3, 32 * 1024, "amd64");
        for (String tag : List.of("a", "b", "c", "d")) {
            pusher.push("team/shared", tag, base);
        }
        Scanner scanner = new Scanner(dir, registryTable("repositories = [\"team/shared\"]"));
        Scanner.Result result = scanner.run("--deep");
        assertThat(result.code()).as(result.toString()).isZero();
        JsonNode counts = result.report().path("summary").path("registries").get(0);
        assertThat(counts.path("tags").asInt()).isEqualTo(4);
        assertThat(counts.path("blobs_hashed").asInt()).isEqualTo(4);
        assertThat(counts.path("bytes_hashed").asLong()).isEqualTo(base.blobs().values().stream().mapToLong(b -> b.length).sum());
    }

    @Test
    void tellsWhichPlatformOfAMultiArchIndexChanged() throws Exception {
        TestImage amd64 = TestImage.random(40, 1, 2048, "amd64");
        TestImage arm64 = TestImage.random(41, 1, 2048, "arm64");
        pushIndex("team/multi", "1", Map.of("amd64", amd64, "arm64", arm64), "one");
        Scanner scanner = new Scanner(dir, registryTable("repositories = [\"team/multi\"]"));
        assertThat(scanner.run().code()).isZero();
        String tag = registry.host() + "/team/multi:1";
        assertThat(scanner.cli("approve", tag).code()).isZero();

        TestImage arm64Rebuilt = TestImage.random(42, 1, 2048, "arm64");
        pushIndex("team/multi", "1", Map.of("amd64", amd64, "arm64", arm64Rebuilt), "one");
        Scanner.Result platformChanged = scanner.run();
        JsonNode drift = platformChanged.findings("drift").get(0);
        assertThat(drift.path("details").path("platforms_changed").asText())
                .startsWith("linux/arm64 (" + arm64.digest().shortForm() + " -> " + arm64Rebuilt.digest().shortForm())
                .doesNotContain("amd64");

        // Someone watching only linux/amd64 hears nothing of the arm64 rebuild.
        Scanner amd64Watcher = new Scanner(Files.createDirectory(dir.resolve("watcher")),
                registryTable("repositories = [\"team/multi\"]\nplatforms = [\"linux/amd64\"]"));
        pushIndex("team/multi", "1", Map.of("amd64", amd64, "arm64", arm64), "one");
        assertThat(amd64Watcher.run().code()).isZero();
        assertThat(amd64Watcher.cli("approve", tag).code()).isZero();
        pushIndex("team/multi", "1", Map.of("amd64", amd64, "arm64", arm64Rebuilt), "one");
        Scanner.Result quiet = amd64Watcher.run();
        assertThat(quiet.code()).as(quiet.toString()).isZero();

        // Same platform manifests, new index bytes: only the index changed.
        assertThat(scanner.cli("approve", tag).code()).isZero();
        pushIndex("team/multi", "1", Map.of("amd64", amd64, "arm64", arm64Rebuilt), "two");
        JsonNode indexOnly = scanner.run().findings("drift").get(0);
        assertThat(indexOnly.path("message").asText()).contains("only the index changed");
        assertThat(indexOnly.path("details").path("platforms_changed").asText()).isEqualTo("none");
    }

    @Test
    void walksCatalogAndTagPagesAndSkipsSignatureTags() throws Exception {
        TestImage image = TestImage.random(50, 1, 512, "amd64");
        for (int r = 1; r <= 5; r++) {
            for (int t = 1; t <= 5; t++) {
                pusher.push("pages/r" + r, "t" + t, image);
            }
        }
        pusher.push("pages/r1", "sha256-" + "ab".repeat(32) + ".sig", image);
        try (FaultProxy recorder = new FaultProxy(registry.url(), 0, 0)) {
            Scanner scanner = new Scanner(dir, "page_size = 2", "[[registry]]\nurl = \"" + recorder.url() + "\"\ninclude = \"pages/.*\"\n");
            Scanner.Result result = scanner.run();
            assertThat(result.code()).as(result.toString()).isZero();
            JsonNode counts = result.report().path("summary").path("registries").get(0);
            assertThat(counts.path("repositories").asInt()).isEqualTo(5);
            assertThat(counts.path("tags").asInt()).isEqualTo(25);
            assertThat(counts.path("skipped_tags").asInt()).isEqualTo(1);
            // The catalog came in pages of two, following the registry's Link headers. (docker-registry 2.8
            // ignores n= on tags/list; tag pagination is shown against MalformedRegistryIT's fake.)
            assertThat(recorder.requests()).contains("GET /v2/_catalog?n=2", "GET /v2/pages/r1/tags/list?n=2");
            assertThat(recorder.requests().stream().filter(r -> r.startsWith("GET /v2/_catalog?")).count()).isGreaterThan(3);
        }
    }
    private void pushIndex(String repository, String tag, Map<String, TestImage> images, String note) throws Exception {
        Map<String, TestImage> ordered = new LinkedHashMap<>();
        images.keySet().stream().sorted().forEach(k -> ordered.put(k, images.get(k)));
        for (TestImage image : ordered.values()) {
            pusher.push(repository, "build-" + image.digest().hex().substring(0, 8), image);
        }
        pusher.pushManifest(repository, tag, TestImage.index(ordered, note), io.driftguard.scan.registry.MediaTypes.OCI_INDEX);
    }

    private static String registryTable(String extra) {
        return "[[registry]]\nurl = \"" + registry.url() + "\"\n" + extra + "\n";
    }
}
