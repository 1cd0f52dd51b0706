package io.driftguard.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class CommandLinesTest {
    /** The commands the parent of the last command run was built with. */
    static Set<String> built;

    @Command(name = "prog", mixinStandardHelpOptions = true)
    static final class Root implements Runnable {
        @Override
        public void run() {
        }
    }

    @Command(name = "first", aliases = "one")
    static final class First implements Runnable {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            built = spec.parent().subcommands().keySet();
        }
    }

    @Command(name = "second")
    static final class Second implements Runnable {
        @Override
        public void run() {
            throw new IllegalStateException("broken");
        }
    }

    private static final List<Class<?>> COMMANDS = List.of(First.class, Second.class, NestedHelp.class);

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = CommandLines.execute(new Root(), COMMANDS, 7, new PrintWriter(out), new PrintWriter(err), args);
        return code + " " + out + err;
    }

    @Test
    void aCommandLineThatNamesACommandBuildsThatOneOnly() {
        run("first");
        assertThat(built).containsExactly("first", "one");
        run("one");
        assertThat(built).containsExactly("first", "one");
    }

    @Test
    void usageHelpAndMisspeltNamesSeeEveryCommand() {
        assertThat(run("--help")).contains("first", "second", "help");
        assertThat(run("help", "second")).contains("Usage: prog second");
        assertThat(run("secnd")).contains("Did you mean", "second");
        assertThat(CommandLines.tree(new Root(), COMMANDS).getSubcommands().keySet()).containsExactly("first", "one", "second", "help");
    }

    @Test
    void aFailingCommandIsOneLineWithTheFailureExit() {
        assertThat(run("second")).isEqualTo("7 prog second: broken\n");
    }
}
