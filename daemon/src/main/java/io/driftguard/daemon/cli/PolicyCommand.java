package io.driftguard.daemon.cli;

import io.driftguard.core.toml.ConfigException;
import io.driftguard.daemon.policy.Policy;
import io.driftguard.daemon.policy.PolicyLoader;
import io.driftguard.daemon.policy.PolicySet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code driftguard policy check PATH}: validates without starting anything. */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Work with policy files.",
        subcommands = PolicyCommand.Check.class)
final class PolicyCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate a policy file or a folder of *.toml policy files, exactly as the daemon would.",
                    "Exit code 0: valid; 1: invalid, with every problem printed as FILE:LINE: KEY: MESSAGE."})
    static final class Check implements Callable<Integer> {
        @Parameters(paramLabel = "PATH", description = "A policy file or folder.")
        Path path;

        @Option(names = "--allow-empty", description = "Accept a folder without policies (the daemon needs the folder's "
                + PolicyLoader.ALLOW_EMPTY_MARKER + " file for that).")
        boolean allowEmpty;

        @Override
        public Integer call() {
            try {
                PolicySet set = PolicyLoader.load(path, allowEmpty);
                for (Policy policy : set.policies()) {
                    System.out.println("ok  " + policy.name() + " (" + policy.mode().name().toLowerCase(java.util.Locale.ROOT)
                            + ", " + policy.processRules().size() + " process rules) at " + policy.origin());
                }
                System.out.println(set.policies().size() + " policies valid");
                return 0;
            } catch (ConfigException e) {
                System.err.println(e.getMessage());
                System.err.println(e.problems().size() + " problem(s); the daemon would refuse this policy set");
                return 1;
            }
        }
    }
}
