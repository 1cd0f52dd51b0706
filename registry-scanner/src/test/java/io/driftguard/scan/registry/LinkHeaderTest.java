package io.driftguard.scan.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.scan.net.RegistryException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkHeaderTest {
    private static final URI PAGE = URI.create("http://127.0.0.1:5000/v2/_catalog?n=2");

    @Test
    void resolvesRelativeTargetKeepingTheOpaqueTokenAsGiven() throws Exception {
        assertThat(LinkHeader.next(List.of("</v2/_catalog?last=b%2Fc&n=2>; rel=\"next\""), PAGE))
                .contains(URI.create("http://127.0.0.1:5000/v2/_catalog?last=b%2Fc&n=2"));
        assertThat(LinkHeader.next(List.of("<?n=2&token=QUJD+ZA==>; rel=next"), PAGE))
                .contains(URI.create("http://127.0.0.1:5000/v2/_catalog?n=2&token=QUJD+ZA=="));
    }

    @Test
    void acceptsAbsoluteTargetOnTheSameRegistry() throws Exception {
        assertThat(LinkHeader.next(List.of("<http://127.0.0.1:5000/v2/x/tags/list?last=9>;rel=\"next\""), PAGE))
                .contains(URI.create("http://127.0.0.1:5000/v2/x/tags/list?last=9"));
    }

    @Test
    void picksNextAmongSeveralLinks() throws Exception {
        assertThat(LinkHeader.next(List.of("</v2/a?p=1>; rel=\"prev\", </v2/a?p=3>; rel=\"next\""), PAGE))
                .contains(URI.create("http://127.0.0.1:5000/v2/a?p=3"));
        assertThat(LinkHeader.next(List.of("</v2/a?p=1>; rel=\"prev\""), PAGE)).isEmpty();
        assertThat(LinkHeader.next(List.of(), PAGE)).isEmpty();
    }

    @Test
    void rejectsBrokenLinks() {
        assertThatThrownBy(() -> LinkHeader.next(List.of("/v2/_catalog?last=b; rel=next"), PAGE))
                .isInstanceOf(RegistryException.class).hasMessageContaining("malformed Link header");
        assertThatThrownBy(() -> LinkHeader.next(List.of("<http://[bad>; rel=\"next\""), PAGE))
                .hasMessageContaining("invalid target");
        assertThatThrownBy(() -> LinkHeader.next(List.of("<https://evil.example/v2/_catalog>; rel=\"next\""), PAGE))
                .hasMessageContaining("another host");
    }
}
