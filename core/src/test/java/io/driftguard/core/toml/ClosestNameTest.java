package io.driftguard.core.toml;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClosestNameTest {
    private static final List<String> KEYS = List.of("action", "names", "name_regex", "paths", "args_regex", "decision_timeout");

    @Test
    void slipsFindTheKeyTheyWereMeantToBe() {
        assertThat(ClosestName.of("acton", KEYS)).contains("action");
        assertThat(ClosestName.of("Action", KEYS)).contains("action");
        assertThat(ClosestName.of("name_regexp", KEYS)).contains("name_regex");
        assertThat(ClosestName.of("decison_timout", KEYS)).contains("decision_timeout");
        assertThat(ClosestName.hint("pahts", KEYS)).isEqualTo("; did you mean 'paths'?");
    }

    @Test
    void otherWordsGetNoSuggestion() {
        assertThat(ClosestName.of("colour", KEYS)).isEmpty();
        assertThat(ClosestName.of("x", KEYS)).isEmpty();
        assertThat(ClosestName.hint("bogus", KEYS)).isEmpty();
    }

    @Test
    void distanceCountsASwapAsOneEdit() {
        assertThat(ClosestName.distance("nmae", "name")).isEqualTo(1);
        assertThat(ClosestName.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(ClosestName.distance("", "abc")).isEqualTo(3);
        assertThat(ClosestName.distance("same", "same")).isZero();
    }
}
