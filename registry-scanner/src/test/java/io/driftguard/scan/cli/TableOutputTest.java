package io.driftguard.scan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The help of {@code --json} in the commands that mix in {@link TableOutput}: each names its own answer, as before the mixin. */
class TableOutputTest {
    private static final CommandLine MAIN = Main.commandLine();

    private static String json(String command) {
        return String.join(" ", MAIN.getSubcommands().get(command).getCommandSpec().findOption("--json").description());
    }

    @Test
    void jsonHelpNamesEachCommandsAnswer() {
        assertThat(json("approvals")).isEqualTo("print the approvals as JSON");
        assertThat(json("history")).isEqualTo("print the history as JSON");
        assertThat(json("status")).isEqualTo("print the status as JSON");
        assertThat(json("image")).isEqualTo("print the report as JSON");
    }
}
