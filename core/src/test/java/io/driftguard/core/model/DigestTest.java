package io.driftguard.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void parsesAndPrintsSha256() {
        Digest d = Digest.parse("sha256:" + EMPTY);
        assertThat(d.algorithm()).isEqualTo("sha256");
        assertThat(d.hex()).isEqualTo(EMPTY);
        assertThat(d).hasToString("sha256:" + EMPTY);
        assertThat(d.shortForm()).isEqualTo("sha256:e3b0c44298fc");
    }

    @Test
    void hashesBytes() {
        assertThat(Digest.sha256(new byte[0])).isEqualTo(Digest.parse("sha256:" + EMPTY));
        assertThat(Digest.sha256("abc".getBytes(StandardCharsets.US_ASCII)).hex())
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void hashesAStreamToItsEndLikeTheSameBytes() throws java.io.IOException {
        byte[] big = new byte[200_000];
        new java.util.Random(7).nextBytes(big);
        assertThat(Digest.sha256(new java.io.ByteArrayInputStream(big))).isEqualTo(Digest.sha256(big));
        assertThat(Digest.sha256(java.io.InputStream.nullInputStream())).isEqualTo(Digest.parse("sha256:" + EMPTY));
    }

    @Test
    void rejectsMalformedDigests() {
        assertThatThrownBy(() -> Digest.parse("sha256:" + EMPTY.toUpperCase())).hasMessageContaining("lower-case hex");
        assertThatThrownBy(() -> Digest.parse("sha256:abc")).hasMessageContaining("64");
        assertThatThrownBy(() -> Digest.parse("md5:" + EMPTY)).hasMessageContaining("unsupported digest algorithm 'md5'");
        assertThatThrownBy(() -> Digest.parse(EMPTY)).hasMessageContaining("not a digest");
        assertThatThrownBy(() -> Digest.parse("sha256:" + EMPTY + "/../x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Digest.isValid("sha512:" + "a".repeat(128))).isTrue();
        assertThat(Digest.isValid("sha512:" + "a".repeat(64))).isFalse();
    }
}
