package io.driftguard.scan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real registry behind a proxy that fails for a while: retries, Retry-After, and one registry failing alone. */
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
        }
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
}
