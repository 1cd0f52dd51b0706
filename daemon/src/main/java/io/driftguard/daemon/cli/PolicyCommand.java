package io.driftguard.daemon.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.driftguard.core.cli.GroupCommand;
import io.driftguard.core.cli.JsonAnswer;
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
final class PolicyCommand extends GroupCommand {
    PolicyCommand() {
        super("check");
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

        @Option(names = "--json", description = "{\"valid\", \"policies\": [{\"name\", \"mode\", \"origin\", \"rules\"}], \"rules\","
                + " \"warnings\"}, or {\"valid\": false, \"problems\": [{\"file\", \"line\", \"key\", \"message\"}]} (exit codes as without).")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                PolicySet set = PolicyLoader.load(path, allowEmpty);
                if (json) {
                    out.println(json(set));
                    return 0;
                }
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
                return Rejected.report(e, json, out, err, "the daemon would refuse this policy set");
            }
        }

        private String json(PolicySet set) {
            ObjectNode root = JsonAnswer.object().put("valid", true);
            ArrayNode policies = root.putArray("policies");
            for (Policy policy : set.policies()) {
                ObjectNode p = policies.addObject().put("name", policy.name()).put("mode", policy.mode().name().toLowerCase(Locale.ROOT))
                        .put("origin", String.valueOf(policy.origin()));
                p.set("rules", RuleCounts.of(policy).json());
            }
            root.set("rules", RuleCounts.sum(set.policies()).json());
            ArrayNode warnings = root.putArray("warnings");
            if (set.policies().isEmpty()) {
                warnings.add("no policies in " + path + ": the daemon would enforce nothing");
            }
            return root.toString();
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

        @Option(names = "--json", description = "{\"revision\", \"policies\", \"dir\"}, or the problems as policy check --json prints them.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return withSharedStore("policy publish", (settings, central) -> {
                if (!Files.isDirectory(dir)) {
                    err().println(dir + " is not a folder of policy files");
                    return 1;
                }
                PolicySet set;
                try {
                    set = PolicyLoader.load(dir, false);
                } catch (ConfigException e) {
                    return Rejected.report(e, json, out(), err(), "nothing published");
                }
                long revision = new PolicyRevisions(central.database()).publish(PolicyFiles.read(dir), settings.hostId(),
                        Instant.now());
                if (json) {
                    ObjectNode answer = JsonAnswer.object().put("revision", revision).put("dir", dir.toString());
                    ArrayNode names = answer.putArray("policies");
                    set.policies().forEach(p -> names.add(p.name()));
                    out().println(answer);
                } else {
                    out().println(Printable.escape("published revision " + revision + ": " + set.policies().size() + " policies ("
                            + set.policies().stream().map(Policy::name).toList() + ") from " + dir));
                }
                return 0;
            });
        }
    }
}
