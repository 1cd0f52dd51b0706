package io.driftguard.scan.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.driftguard.core.testing.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code image docker:NAME} and a bare local name against the host's engine, which is only read
 * ({@code GET /images/NAME/get}): the Debian 12 test image built here with debootstrap, its
 * packages read from the dpkg status in the save stream, the result kept under the image id.
 */
class LocalDockerImageIT {
    private static final String DEBIAN = "driftguard-test/debian12-systemd:1";

    @TempDir
    Path dir;

    @Test
    void scansALocalImageThroughTheEngineApi() throws Exception {
        Prerequisites.requireImage(DEBIAN);
        Scanner scanner = new Scanner(dir, "");
        Scanner.Result result = scanner.cli("image", "--json", "docker:" + DEBIAN);
        assertThat(result.code()).as(result.toString()).isBetween(0, 1);
        JsonNode report = result.report();
        String id = docker("image", "inspect", "--format", "{{.Id}}", DEBIAN);
        assertThat(report.path("digest").asText()).isEqualTo(id);
        assertThat(report.path("os").path("id").asText()).isEqualTo("debian");
        assertThat(report.path("os").path("version_id").asText()).isEqualTo("12");
        assertThat(report.path("packages").size()).isGreaterThan(50);
        assertThat(report.path("packages").findValuesAsText("name")).contains("libc6", "systemd");
        assertThat(report.path("findings").findValuesAsText("id")).contains("root-user");

        // A name without a registry host is a local image too; the table says where it came from.
        Scanner.Result table = scanner.cli("image", DEBIAN);
        assertThat(table.out()).as(table.toString()).contains("Image: docker:" + DEBIAN).contains("Digest: " + id);
    }

    @Test
    void anUnknownImageOrEngineIsOneLine() throws Exception {
        Scanner scanner = new Scanner(dir, "");
        Scanner.Result missing = scanner.cli("image", "docker:driftguard-test/no-such-image:9");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("has no image driftguard-test/no-such-image:9").doesNotContain("Exception");
        Scanner.Result noEngine = scanner.cli("image", "--docker-host", "unix://" + dir.resolve("none.sock"), "docker:x:1");
        assertThat(noEngine.err()).contains("cannot reach the Docker engine at " + dir.resolve("none.sock"));
        Scanner.Result tcp = scanner.cli("image", "--docker-host", "tcp://127.0.0.1:2375", "docker:x:1");
        assertThat(tcp.err()).contains("only a unix socket engine");
    }

    private static String docker(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("docker"));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
