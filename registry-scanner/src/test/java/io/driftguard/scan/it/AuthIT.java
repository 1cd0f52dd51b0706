package io.driftguard.scan.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.model.Digest;
import io.driftguard.core.testing.Prerequisites;
import io.driftguard.scan.registry.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Basic auth (htpasswd, password_file and Docker config.json) and the bearer token flow, against real registries. */
class AuthIT {
    @TempDir
    Path dir;

    @Test
    void basicAuthWithPasswordFileOrDockerConfig() throws Exception {
        Prerequisites.requireCommand("htpasswd");
        Path htpasswd = dir.resolve("htpasswd");
        Process p = new ProcessBuilder("htpasswd", "-Bbc", htpasswd.toString(), "scanner", "s3cret")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as("htpasswd made the password file").isTrue();
        try (LocalRegistry registry = LocalRegistry.start("auth:\n  htpasswd:\n    realm: driftguard-test\n    path: " + htpasswd)) {
            String basic = "Basic " + Base64.getEncoder().encodeToString("scanner:s3cret".getBytes(StandardCharsets.UTF_8));
            new TestPusher(registry.url(), scope -> Optional.of(basic)).push("private/app", "1", TestImage.random(90, 1, 2048, "amd64"));

            Files.writeString(dir.resolve("registry.pw"), "s3cret\n");
            Scanner withFile = new Scanner(Files.createDirectory(dir.resolve("a")),
                    "[[registry]]\nurl = \"" + registry.url() + "\"\nusername = \"scanner\"\npassword_file = \"../registry.pw\"\n");
            Scanner.Result ok = withFile.run();
            assertThat(ok.code()).as(ok.toString()).isZero();
            assertThat(ok.report().path("summary").path("tags").asInt()).isEqualTo(1);

            Files.writeString(dir.resolve("config.json"), "{\"auths\":{\"http://" + registry.host() + "/v2/\":{\"auth\":\""
                    + Base64.getEncoder().encodeToString("scanner:s3cret".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
            Scanner withDockerConfig = new Scanner(Files.createDirectory(dir.resolve("b")),
                    "[[registry]]\nurl = \"" + registry.url() + "\"\ndocker_config = \"../config.json\"\n");
            assertThat(withDockerConfig.run().code()).isZero();

            Scanner anonymous = new Scanner(Files.createDirectory(dir.resolve("c")), "[[registry]]\nurl = \"" + registry.url() + "\"\n");
            Scanner.Result refused = anonymous.run();
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.findings("error").get(0).path("message").asText()).contains("requires credentials and none are configured");

            Files.writeString(dir.resolve("wrong.pw"), "nope");
            Scanner wrong = new Scanner(Files.createDirectory(dir.resolve("d")),
                    "[[registry]]\nurl = \"" + registry.url() + "\"\nusername = \"scanner\"\npassword_file = \"../wrong.pw\"\n");
            assertThat(wrong.run().findings("error").get(0).path("message").asText()).contains("credentials were refused");
        }
    }

    @Test
    void bearerTokensFromATokenServerAreCachedPerScope() throws Exception {
        try (TokenServer tokens = TokenServer.start(dir, "scanner", "t0ken");
             LocalRegistry registry = LocalRegistry.start("")) {
            TestPusher pusher = new TestPusher(registry.url());
            TestImage image = TestImage.random(100, 2, 2048, "amd64");
            for (String repo : List.of("tok/one", "tok/two")) {
                for (String tag : List.of("a", "b", "c")) {
                    pusher.push(repo, tag, image);
                }
            }
            registry.restart(tokens.registryAuthYaml());
            Files.writeString(dir.resolve("token.pw"), "t0ken");
            Scanner scanner = new Scanner(dir, "[[registry]]\nurl = \"" + registry.url() + "\"\nusername = \"scanner\"\npassword_file = \"token.pw\"\n");
            Scanner.Result result = scanner.run();
            assertThat(result.code()).as(result.toString()).isZero();
            assertThat(result.report().path("summary").path("tags").asInt()).isEqualTo(6);
            // One token per scope, however many requests each scope made.
            assertThat(tokens.scopesIssued()).containsExactlyInAnyOrder(
                    "", "registry:catalog:*", "repository:tok/one:pull", "repository:tok/two:pull");
        }
    }

    @Test
    void httpsWithThePrivateCaFromCaFileOnly() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start("")) {
            new TestPusher(registry.url()).push("tls/app", "1", TestImage.random(120, 1, 2048, "amd64"));
            Path certificate = registry.restartWithTls();
            assertThat(registry.url().getScheme()).isEqualTo("https");
            Scanner trusting = new Scanner(Files.createDirectory(dir.resolve("a")),
                    "[[registry]]\nurl = \"" + registry.url() + "\"\nca_file = \"" + certificate + "\"\n");
            Scanner.Result ok = trusting.run();
            assertThat(ok.code()).as(ok.toString()).isZero();
            assertThat(ok.report().path("summary").path("tags").asInt()).isEqualTo(1);

            Scanner untrusting = new Scanner(Files.createDirectory(dir.resolve("b")), "[[registry]]\nurl = \"" + registry.url() + "\"\n");
            Scanner.Result refused = untrusting.run();
            assertThat(refused.code()).isEqualTo(2);
            assertThat(refused.findings("error").get(0).path("message").asText()).contains("SSLHandshakeException");
        }
    }

    @Test
    void refusesAPlainHttpRealmElsewhereAndKeepsCredentialsFromRedirectTargets() throws Exception {
        try (FakeRegistry fake = new FakeRegistry(); FakeRegistry storage = new FakeRegistry()) {
            String basic = "Basic " + Base64.getEncoder().encodeToString("scanner:pw".getBytes(StandardCharsets.UTF_8));
            TestImage image = TestImage.random(110, 1, 1000, "amd64");
            Map<String, String> manifestHeaders = Map.of("Content-Type", MediaTypes.OCI_MANIFEST,
                    "Docker-Content-Digest", image.digest().toString());
            fake.requireAuthorization(basic, "Basic realm=\"fake\"");
            fake.route("GET", "/v2/redirect/app/tags/list?n=100", 200, Map.of(), "{\"tags\":[\"1\"]}");
            fake.route("GET", "/v2/redirect/app/manifests/1", 200, manifestHeaders, image.manifest());
            fake.route("GET", "/v2/redirect/app/manifests/" + image.digest(), 200, manifestHeaders, image.manifest());
            for (Map.Entry<Digest, byte[]> blob : image.blobs().entrySet()) {
                String path = "/blobs/" + blob.getKey().hex();
                fake.route("GET", "/v2/redirect/app/blobs/" + blob.getKey(), 307, Map.of("Location", storage.url() + path), "");
                storage.route("GET", path, 200, Map.of(), blob.getValue());
            }
            Files.writeString(dir.resolve("pw"), "pw");
            Scanner scanner = new Scanner(dir, "[[registry]]\nurl = \"" + fake.url()
                    + "\"\nrepositories = [\"redirect/app\"]\nusername = \"scanner\"\npassword_file = \"pw\"\n");
            Scanner.Result result = scanner.run();
            assertThat(result.code()).as(result.toString()).isZero();
            assertThat(storage.requests()).hasSize(2);
            assertThat(storage.authorizations()).containsOnly("none");
            assertThat(fake.authorizations()).contains(basic);
        }
        try (FakeRegistry fake = new FakeRegistry()) {
            fake.requireAuthorization("Bearer never", "Bearer realm=\"http://auth.example/token\",service=\"x\"");
            Scanner scanner = new Scanner(dir, "[[registry]]\nurl = \"" + fake.url() + "\"\n");
            Scanner.Result result = scanner.run();
            assertThat(result.code()).isEqualTo(2);
            assertThat(result.findings("error").get(0).path("message").asText())
                    .contains("refusing token realm 'http://auth.example/token'").contains("must be https");
        }
    }
}
