package io.driftguard.core.toml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TomlTableTest {
    private static final Path FILE = Path.of("/etc/driftguard/x.toml");

    @Test
    void unknownKeysAndWrongTypesAreProblemsWithFileLineAndKey() throws ConfigException {
        Problems problems = new Problems();
        TomlTable root = TomlDocument.parse(FILE, "[a]\nname = 3\nnmae = \"x\"\nlist = [\"a\", 2]\n").root(problems);
        TomlTable a = root.tableOrEmpty("a");
        assertThat(a.string("name")).isEmpty();
        assertThat(a.strings("list")).containsExactly("a");
        a.finish();
        root.finish();
        assertThat(problems.list()).extracting(ConfigProblem::toString).containsExactly(
                "/etc/driftguard/x.toml:2: a.name: must be a string",
                "/etc/driftguard/x.toml:4: a.list[1]: must be a string",
                "/etc/driftguard/x.toml:3: a.nmae: unknown key");
    }

    @Test
    void anUnknownKeyNearAKnownUnsetOneGetsADidYouMean() throws ConfigException {
        Problems problems = new Problems();
        TomlTable root = TomlDocument.parse(FILE, "nmae = \"x\"\nmode = 1\nmdoe = 2\n").root(problems);
        root.string("name");
        root.integer("mode");
        root.finish();
        assertThat(problems.list()).extracting(ConfigProblem::toString).containsExactly(
                "/etc/driftguard/x.toml:1: nmae: unknown key; did you mean 'name'?",
                "/etc/driftguard/x.toml:3: mdoe: unknown key");
    }

    @Test
    void syntaxErrorsNameTheLine() {
        assertThatThrownBy(() -> TomlDocument.parse(FILE, "a = 1\nb = = 2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("/etc/driftguard/x.toml:2: invalid TOML");
    }

    @Test
    void duplicateKeysAreRejected() {
        assertThatThrownBy(() -> TomlDocument.parse(FILE, "a = 1\na = 2\n")).isInstanceOf(ConfigException.class);
    }
}
