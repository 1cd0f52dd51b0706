package io.driftguard.scan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);

    @Test
    void parsesImageManifest() throws Exception {
        Manifest m = parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"c\",\"digest\":\"" + D1 + "\",\"size\":10},"
                + "\"layers\":[{\"mediaType\":\"l\",\"digest\":\"" + D2 + "\",\"size\":20}]}", "");
        assertThat(m).isInstanceOf(Manifest.Image.class);
        Manifest.Image image = (Manifest.Image) m;
        assertThat(image.config().size()).isEqualTo(10);
        assertThat(image.layers()).extracting(d -> d.digest().toString()).containsExactly(D2);
    }

    @Test
    void takesTheMediaTypeFromContentTypeWhenTheManifestHasNone() throws Exception {
        Manifest m = parse("{\"schemaVersion\":2,\"manifests\":["
                + "{\"digest\":\"" + D1 + "\",\"size\":5,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}},"
                + "{\"digest\":\"" + D2 + "\",\"size\":5,\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"}},"
                + "{\"digest\":\"" + D2 + "\",\"size\":5,\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"}}]}",
                MediaTypes.OCI_INDEX + "; charset=utf-8");
        assertThat(((Manifest.Index) m).manifests()).extracting(Manifest.PlatformManifest::platform)
                .containsExactly("linux/arm64/v8", "unknown/unknown", "unknown/unknown#2");
    }

    @Test
    void rejectsWhatItCannotUse() {
        assertThatThrownBy(() -> parse("{not json", "")).hasMessageContaining("invalid JSON");
        assertThatThrownBy(() -> parse("{\"schemaVersion\":1,\"fsLayers\":[]}", "application/vnd.docker.distribution.manifest.v1+prettyjws"))
                .hasMessageContaining("unknown media type").hasMessageContaining("schema 1");
        assertThatThrownBy(() -> parse("{\"mediaType\":\"x\\ninjected line\"}", ""))
                .hasMessage("unknown media type 'x\\x0ainjected line'");
        assertThatThrownBy(() -> parse("{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"digest\":\"sha256:../../etc\",\"size\":1},\"layers\":[]}", ""))
                .hasMessageContaining("config.digest");
        assertThatThrownBy(() -> parse("{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"digest\":\"" + D1 + "\",\"size\":-1},\"layers\":[]}", ""))
                .hasMessageContaining("config.size");
    }

    private static Manifest parse(String json, String contentType) throws MalformedManifestException {
        return ManifestParser.parse(json.getBytes(StandardCharsets.UTF_8), contentType);
    }
}
