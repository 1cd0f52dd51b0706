package io.driftguard.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void padsColumnsUnderTheirHeader() {
        String table = TextTable.of("TAG", "STATE", "DIGEST").row("a:1", "drift", "sha256:aa").row("bbbb:2", null, "x").render(0);
        assertThat(table).isEqualTo("""
                TAG     STATE  DIGEST
                a:1     drift  sha256:aa
                bbbb:2  -      x
                """);
    }

    @Test
    void cutsTheLastColumnFirstThenTheWidest() {
        TextTable table = TextTable.of("NAME", "MESSAGE").row("registry.example.com/team/app:1", "x".repeat(100));
        String cut = table.render(40);
        assertThat(cut.lines()).allMatch(l -> l.codePointCount(0, l.length()) <= 40);
        assertThat(cut).contains("registry.example.com/team/app:1  xxxxx").contains("…");
        String narrow = table.render(20);
        assertThat(narrow.lines()).allMatch(l -> l.codePointCount(0, l.length()) <= 20);
    }

    @Test
    void escapesControlCharacters() {
        assertThat(TextTable.of("A").row("evil\n\u001b[31m").render(0)).isEqualTo("A\nevil\\x0a\\x1b[31m\n");
    }

    @Test
    void coloursCellsOfAColumnOnlyWhenAskedAndNeverTheHeader() {
        TextTable table = TextTable.of("SEVERITY", "MESSAGE").colour(0, Ansi::severityCode)
                .row("critical", "x".repeat(100)).row("info", "y");
        assertThat(table.render(0)).doesNotContain("\u001b");
        String coloured = table.render(30, true);
        assertThat(coloured).startsWith("SEVERITY").contains("\u001b[1;31mcritical\u001b[0m  xxx").contains("info      y");
        // The colour is decided on the whole cell, also when the cell itself is cut.
        assertThat(TextTable.of("S", "M").colour(0, Ansi::severityCode).row("critical", "m").row("medium", "m")
                .render(9, true)).contains("\u001b[1;31mcriti…\u001b[0m");
    }

    @Test
    void colourOnlyOnATerminalWithoutNoColorOrADumbTerm() {
        assertThat(Terminal.colour(true, Map.of())).isTrue();
        assertThat(Terminal.colour(true, Map.of("NO_COLOR", ""))).isTrue();
        assertThat(Terminal.colour(true, Map.of("NO_COLOR", "1"))).isFalse();
        assertThat(Terminal.colour(true, Map.of("TERM", "dumb"))).isFalse();
        assertThat(Terminal.colour(false, Map.of())).as("a pipe or a file").isFalse();
    }

    @Test
    void widthComesFromColumnsWhenExported() {
        assertThat(Terminal.width(Map.of("COLUMNS", "132"))).isEqualTo(132);
        assertThat(Terminal.width(true)).isZero();
    }
}
