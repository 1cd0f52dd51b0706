package io.driftguard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.testing.Prerequisites;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .deb's files, read without installing it: completion, the file formats' man pages, the helper. */
class DebPackageIT {
    private Path deb;

    @BeforeEach
    void findPackage() {
        Prerequisites.requireCommand("dpkg-deb");
        deb = Path.of(System.getProperty("driftguard.deb"));
        assertThat(deb).as("the package built by this module").isRegularFile();
    }

    @Test
    void shipsCompletionManPagesOfTheFormatsAndTheHelperReadOnly() {
        String contents = ok("dpkg-deb", "-c", deb.toString()).output();
        assertThat(contents).contains(" ./usr/share/bash-completion/completions/driftguard\n",
                " ./usr/share/bash-completion/completions/driftguard-scan\n",
                " ./usr/share/zsh/vendor-completions/_driftguard\n",
                " ./usr/share/man/man5/driftguard.toml.5.gz\n", " ./usr/share/man/man5/driftguard-policy.5.gz\n",
                " ./usr/share/man/man8/driftguard.8.gz\n");
        assertThat(contents.lines().filter(line -> line.endsWith(" ./usr/lib/driftguard/driftguard-protect")))
                .singleElement().asString().startsWith("-rwxr-xr-x root/root");
    }

    @Test
    void bashCompletesCommandsSubcommandsAndOptions(@TempDir Path root) {
        ok("dpkg-deb", "-x", deb.toString(), root.toString());
        Path completions = root.resolve("usr/share/bash-completion/completions");
        assertThat(complete(completions.resolve("driftguard"), "driftguard pol")).isEqualTo("policy");
        assertThat(complete(completions.resolve("driftguard"), "driftguard policy ch")).isEqualTo("check");
        assertThat(complete(completions.resolve("driftguard"), "driftguard config check --con")).isEqualTo("--config");
        assertThat(complete(completions.resolve("driftguard-scan"), "driftguard-scan appr")).isEqualTo("approve approvals");
    }

    /** What bash offers for the last word of {@code line}, as a TAB would ask the completion function. */
    private static String complete(Path script, String line) {
        String program = line.split(" ")[0];
        // compopt works only inside a completion bash itself started; a no-op here.
        return ok("bash", "-c", "compopt() { :; }; source \"$1\"; COMP_LINE=\"$2\"; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<<\"$2\";"
                + " COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _complete_" + program + "; echo \"${COMPREPLY[*]}\"",
                "complete", script.toString(), line).output().strip();
    }

    private static Command.Result ok(String... argv) {
        Command.Result result = Command.run(Duration.ofMinutes(1), List.of(argv));
        assertThat(result.ok()).as("%s: %s", List.of(argv), result).isTrue();
        return result;
    }
}
