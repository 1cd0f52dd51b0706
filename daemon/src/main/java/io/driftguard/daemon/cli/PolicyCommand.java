package io.driftguard.daemon.cli;

import io.driftguard.core.text.Printable;
import io.driftguard.core.toml.ConfigException;
import io.driftguard.daemon.fleet.PolicyFiles;
import io.driftguard.daemon.fleet.PolicyRevisions;
import io.driftguard.daemon.policy.Policy;
import io.driftguard.daemon.policy.PolicyLoader;
import io.driftguard.daemon.policy.PolicySet;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code driftguard policy check PATH}: validates without starting anything; {@code driftguard
 * policy publish DIR}: validates the same way and stores the folder as the fleet's newest revision.
 */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Work with policy files.",
        subcommands = {PolicyCommand.Check.class, PolicyCommand.Publish.class})
final class PolicyCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: check");
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate a policy file or a folder of *.toml policy files, exactly as the daemon would.",
                    "Exit code 0: valid; 1: invalid, with every problem printed as FILE:LINE: KEY: MESSAGE."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "PATH", description = "A policy file or folder.")
        Path path;

        @Option(names = "--allow-empty", description = "Accept a folder without policies (the daemon needs the folder's "
                + PolicyLoader.ALLOW_EMPTY_MARKER + " file for that).")
        boolean allowEmpty;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                PolicySet set = PolicyLoader.load(path, allowEmpty);
                for (Policy policy : set.policies()) {
                    out.println("ok  " + policy.name() + " (" + policy.mode().name().toLowerCase(Locale.ROOT) + ": "
                            + RuleCounts.of(policy).present() + ") at " + policy.origin());
                }
                out.println(set.policies().size() + (set.policies().size() == 1 ? " policy" : " policies") + " valid: "
                        + RuleCounts.sum(set.policies()).all());
                if (set.policies().isEmpty()) {
                    err.println("warning: no policies in " + path + ": the daemon would enforce nothing");
                }
                return 0;
            } catch (ConfigException e) {
                err.println(e.getMessage());
                err.println(e.problems().size() + " problem(s); the daemon would refuse this policy set");
                return 1;
            }
        }
    }

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = {"Validate a folder of *.toml policy files as policy check does and store it in the shared store"
                    + " ([store] url) as a new revision. Daemons with [policies] source = \"central\" apply it within seconds,"
                    + " as a reload: a revision a daemon refuses leaves its running policies in place.",
                    "Exit code 0: published; 1: invalid, nothing published; 2: no shared store configured."})
    static final class Publish extends ConfiguredCommand {
        @Parameters(paramLabel = "DIR", description = "The policy folder to publish.")
        Path dir;

        @Override
        public Integer call() throws Exception {
            return withSharedStore("policy publish", (settings, central) -> {
                if (!Files.isDirectory(dir)) {
                    System.err.println(dir + " is not a folder of policy files");
                    return 1;
                }
                PolicySet set;
                try {
                    set = PolicyLoader.load(dir, false);
                } catch (ConfigException e) {
                    System.err.println(e.getMessage());
                    System.err.println(e.problems().size() + " problem(s); nothing published");
                    return 1;
                }
                long revision = new PolicyRevisions(central.database()).publish(PolicyFiles.read(dir), settings.hostId(),
                        Instant.now());
                System.out.println(Printable.escape("published revision " + revision + ": " + set.policies().size() + " policies ("
                        + set.policies().stream().map(Policy::name).toList() + ") from " + dir));
                return 0;
            });
        }
    }
}
