package io.driftguard.scan.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactedTest {
    @Test
    void hidesTheUserInformationOfEveryUrl() {
        assertThat(Redacted.of("GET https://scanner:s3cret@registry.example/v2/ and http://tok@b.example:5000/x failed"))
                .isEqualTo("GET https://***@registry.example/v2/ and http://***@b.example:5000/x failed");
        assertThat(Redacted.of("redirected to 'HTTPS://u:p%40ss@c.example'")).isEqualTo("redirected to 'HTTPS://***@c.example'");
    }

    @Test
    void leavesOtherTextAlone() {
        assertThat(Redacted.of("https://registry.example/v2/a@sha256:abc")).isEqualTo("https://registry.example/v2/a@sha256:abc");
        assertThat(Redacted.of("mail dev@driftguard.invalid")).isEqualTo("mail dev@driftguard.invalid");
    }

    @Test
    void registryErrorsNeverCarryAPassword() {
        assertThat(new RegistryException("GET http://u:hunter2@127.0.0.1:1/v2/ failed").getMessage())
                .doesNotContain("hunter2").contains("http://***@127.0.0.1:1/v2/");
    }
}
