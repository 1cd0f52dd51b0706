package io.driftguard.daemon.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MatchTest {
    private static final ContainerFacts WEB = new ContainerFacts("web-1", "nginx", Map.of("app", "shop", "tier", "front"));

    @Test
    void selectorsAreAndedAndEntriesOred() {
        assertThat(new Match(Map.of(), List.of(), List.of()).selects(WEB)).isTrue();
        assertThat(new Match(Map.of("app", "shop"), List.of(), List.of(Glob.of("db-*"), Glob.of("web-?"))).selects(WEB)).isTrue();
        assertThat(new Match(Map.of("app", "shop", "tier", "back"), List.of(), List.of()).selects(WEB)).isFalse();
        assertThat(new Match(Map.of("app", "shop"), List.of(Glob.of("redis:*")), List.of()).selects(WEB)).isFalse();
    }

    @Test
    void anImageWithoutTagIsLatest() {
        assertThat(new Match(Map.of(), List.of(Glob.of("nginx:*")), List.of()).selects(WEB)).isTrue();
        assertThat(new Match(Map.of(), List.of(Glob.of("nginx:1.*")), List.of()).selects(WEB)).isFalse();
        ContainerFacts registry = new ContainerFacts("x", "registry.example.com:5000/team/app", Map.of());
        assertThat(new Match(Map.of(), List.of(Glob.of("registry.example.com:5000/team/*:latest")), List.of()).selects(registry)).isTrue();
    }
}
