package io.driftguard.scan.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChallengeTest {
    @Test
    void parsesBearerWithQuotedScopeContainingCommas() {
        List<Challenge> all = Challenge.parseAll(List.of(
                "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:a/b:pull,push\""));
        assertThat(all).hasSize(1);
        Challenge c = all.get(0);
        assertThat(c.scheme()).isEqualTo("bearer");
        assertThat(c.param("realm")).contains("https://auth.example/token");
        assertThat(c.param("service")).contains("registry.example");
        assertThat(c.param("scope")).contains("repository:a/b:pull,push");
    }

    @Test
    void parsesSeveralChallengesAndUnquotedValues() {
        List<Challenge> all = Challenge.parseAll(List.of("Basic realm=\"Registry Realm\", Bearer realm=http://127.0.0.1:1/t , service=x"));
        assertThat(all).extracting(Challenge::scheme).containsExactly("basic", "bearer");
        assertThat(all.get(0).param("realm")).contains("Registry Realm");
        assertThat(all.get(1).param("realm")).contains("http://127.0.0.1:1/t");
        assertThat(all.get(1).param("SERVICE")).contains("x");
    }

    @Test
    void handlesEscapesAndBareSchemes() {
        assertThat(Challenge.parseAll(List.of("Bearer realm=\"a\\\"b\"")).get(0).param("realm")).contains("a\"b");
        assertThat(Challenge.parseAll(List.of("Negotiate")).get(0).params()).isEmpty();
    }

    @Test
    void rejectsMalformedHeaders() {
        assertThatThrownBy(() -> Challenge.parseAll(List.of("Bearer realm=\"unterminated")))
                .hasMessageContaining("unterminated");
        assertThatThrownBy(() -> Challenge.parseAll(List.of("Bearer =x"))).hasMessageContaining("malformed");
    }
}
