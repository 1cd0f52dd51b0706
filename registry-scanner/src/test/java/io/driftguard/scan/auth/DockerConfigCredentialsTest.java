package io.driftguard.scan.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void readsAuthsByHostWhateverTheKeyForm() throws Exception {
        String auth = Base64.getEncoder().encodeToString("alice:s3cr:et".getBytes(StandardCharsets.UTF_8));
        Path file = write("{\"auths\":{\"https://reg.example:5000/v1/\":{\"auth\":\"" + auth + "\"},"
                + "\"other.example\":{\"username\":\"bob\",\"password\":\"pw\"}}}");
        assertThat(DockerConfigCredentials.lookup(file, "reg.example:5000", n -> null))
                .contains(new BasicCredentials("alice", "s3cr:et"));
        assertThat(DockerConfigCredentials.lookup(file, "other.example", n -> null))
                .contains(new BasicCredentials("bob", "pw"));
        assertThat(DockerConfigCredentials.lookup(file, "third.example", n -> null)).isEmpty();
    }

    @Test
    void asksTheHostsCredentialHelperWithFixedArgv() throws Exception {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        // The helper echoes back the server address it got on stdin, proving it came through stdin.
        Path helper = bin.resolve("docker-credential-fake");
        Files.writeString(helper, "#!/bin/sh\n[ \"$1\" = get ] || exit 3\nread server\n"
                + "printf '{\"ServerURL\":\"%s\",\"Username\":\"u-%s\",\"Secret\":\"p\"}' \"$server\" \"$server\"\n");
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        Path file = write("{\"credHelpers\":{\"reg.example\":\"fake\"}}");
        assertThat(DockerConfigCredentials.lookup(file, "reg.example", n -> new CredentialHelper(n, bin.toString())))
                .contains(new BasicCredentials("u-reg.example", "p"));
    }

    @Test
    void namesTheFileWhenAuthIsBroken() throws Exception {
        Path file = write("{\"auths\":{\"reg.example\":{\"auth\":\"!!!\"}}}");
        assertThatThrownBy(() -> DockerConfigCredentials.lookup(file, "reg.example", n -> null))
                .hasMessageContaining(file.toString()).hasMessageContaining("not base64");
        assertThatThrownBy(() -> new CredentialHelper("missing", dir.toString()).get("x"))
                .hasMessageContaining("docker-credential-missing not found");
    }

    private Path write(String json) throws Exception {
        return Files.writeString(dir.resolve("config.json"), json);
    }
}
