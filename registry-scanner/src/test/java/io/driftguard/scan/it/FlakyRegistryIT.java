package io.driftguard.scan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real registry behind a proxy that fails for a while (retries, Retry-After, one registry failing alone)
 * or sends blobs a byte at a time (the request timeout and run_timeout end the run).
 */
class FlakyRegistryIT {
    private static LocalRegistry registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = LocalRegistry.start("");
        new TestPusher(registry.url()).push("flaky/app", "1", TestImage.random(60, 2, 4096, "amd64"));
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void retriesThroughAFewServerErrors() throws Exception {
        try (FaultProxy proxy = new FaultProxy(registry.url(), 3, 500)) {
            Scanner scanner = new Scanner(dir, "[[registry]]\nurl = \"" + proxy.url() + "\"\n");
            Scanner.Result result = scanner.run();
            assertThat(result.code()).as(result.toString()).isZero();
            assertThat(result.report().path("summary").path("tags").asInt()).isEqualTo(1);
            assertThat(proxy.requests().subList(0, 4)).containsOnly("GET /v2/");
            // Each wait says what it is for, so that a slow run is not a silent one.
            assertThat(result.err()).contains("registry " + proxy.host() + " answered 500, retry 1/")
                    .contains("retry 3/");
        }
    }

    @Test
    void aDeadRegistrySaysSoOnEachRetry() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Scanner scanner = new Scanner(dir, "[[registry]]\nurl = \"http://127.0.0.1:" + port + "\"\n");
        Scanner.Result result = scanner.run();
        assertThat(result.code()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("registry 127.0.0.1:" + port + " not answering (ConnectException), retry 1/")
                .containsPattern("retry [0-9]+/[0-9]+ in [0-9.]+m?s");
    }

    @Test
    void waitsAsLongAsRetryAfterSays() throws Exception {
        try (FaultProxy proxy = new FaultProxy(registry.url(), 1, 429)) {
            Scanner scanner = new Scanner(dir, "[[registry]]\nurl = \"" + proxy.url() + "\"\n");
            long start = System.nanoTime();
            Scanner.Result result = scanner.run();
            assertThat(result.code()).as(result.toString()).isZero();
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(1000);
        }
    }

    @Test
    void aRegistryThatStaysDownDoesNotStopTheOthers() throws Exception {
        try (FaultProxy down = new FaultProxy(registry.url(), 1000, 503)) {
            Scanner scanner = new Scanner(dir, "[[registry]]\nurl = \"" + down.url() + "\"\n\n"
                    + "[[registry]]\nurl = \"" + registry.url() + "\"\n");
            Scanner.Result result = scanner.run();
            assertThat(result.code()).as("errors only: the scan could not fully run").isEqualTo(2);
            JsonNode error = result.findings("error").get(0);
            assertThat(error.path("details").path("registry").asText()).isEqualTo(down.host());
            assertThat(error.path("message").asText()).contains("cannot be scanned").contains("503");
            JsonNode registries = result.report().path("summary").path("registries");
            assertThat(registries.get(0).path("reached").asBoolean()).isFalse();
            assertThat(registries.get(1).path("tags").asInt()).isEqualTo(1);
            assertThat(down.requests()).hasSize(4);
        }
    }

    @Test
    void theTimeoutCoversTheWholeBody() throws Exception {
        try (FaultProxy proxy = FaultProxy.drippingBlobs(registry.url(), 100)) {
            Scanner.Result result = timed(scanner(proxy, "2s", ""), 2, 20);
            assertThat(result.code()).as(result.toString()).isEqualTo(2);
            JsonNode error = result.findings("error").get(0);
            assertThat(error.path("message").asText()).as(result.toString())
                    .contains("Tag " + proxy.host() + "/flaky/app:1").contains("/blobs/sha256:")
                    .contains("no complete answer within the timeout of 2s");
        }
    }

    @Test
    void runTimeoutEndsTheRunWithANamedError() throws Exception {
        try (FaultProxy proxy = FaultProxy.drippingBlobs(registry.url(), 100)) {
            Scanner.Result result = timed(scanner(proxy, "60s", "run_timeout = \"3s\"\n"), 3, 10);
            assertThat(result.code()).as(result.toString()).isEqualTo(2);
            assertThat(result.findings("error")).as(result.toString()).anySatisfy(error -> {
                assertThat(error.path("message").asText()).isEqualTo("Tag " + proxy.host() + "/flaky/app:1 timed out: run_timeout of 3s passed");
                assertThat(error.path("details").path("repository").asText()).isEqualTo("flaky/app");
            });
        }
    }

    private Scanner scanner(FaultProxy proxy, String timeout, String scanSettings) throws Exception {
        Scanner scanner = new Scanner(dir, scanSettings, "[[registry]]\nurl = \"" + proxy.url() + "\"\n");
        Files.writeString(scanner.config(), Files.readString(scanner.config()).replace("timeout = \"20s\"", "timeout = \"" + timeout + "\""));
        return scanner;
    }

    /** Runs the scan and checks that it took between min and max seconds, not the 410 s of a dripped blob. */
    private static Scanner.Result timed(Scanner scanner, long min, long max) {
        long start = System.nanoTime();
        Scanner.Result result = scanner.run();
        long took = (System.nanoTime() - start) / 1_000_000_000;
        assertThat(took).as(result.toString()).isGreaterThanOrEqualTo(min - 1).isLessThan(max);
        return result;
    }
}
