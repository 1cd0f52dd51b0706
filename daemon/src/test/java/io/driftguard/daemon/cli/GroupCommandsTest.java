package io.driftguard.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GroupCommandsTest {
    /** Every command that only groups others fails without one, naming the choices, as a bad argument does. */
    @Test
    void aGroupWithoutItsCommandIsAUsageError() {
        List<String> groups = Main.commandLine().getSubcommands().values().stream().distinct()
                .filter(c -> !c.getSubcommands().isEmpty()).map(CommandLine::getCommandName).toList();
        assertThat(groups).contains("policy", "config", "docker", "baseline", "store");
        for (String group : groups) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.execute(new PrintWriter(out), new PrintWriter(err), group);
            assertThat(code).as(group).isEqualTo(CommandLine.ExitCode.USAGE);
            assertThat(out.toString()).as(group).isEmpty();
            assertThat(err.toString()).as(group).startsWith("missing command: ").contains("Usage: driftguard " + group + " ");
        }
    }
}
