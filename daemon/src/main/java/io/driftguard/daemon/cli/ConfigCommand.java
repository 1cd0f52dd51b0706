package io.driftguard.daemon.cli;

import io.driftguard.core.cli.GroupCommand;
import io.driftguard.core.cli.JsonAnswer;
import io.driftguard.core.toml.ConfigException;
import io.driftguard.daemon.app.DaemonConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code driftguard config check}: validates the daemon config without starting anything. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with the daemon config (driftguard.toml).",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand extends GroupCommand {
    ConfigCommand() {
        super("check");
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate the daemon config exactly as the daemon reads it at start (its [registry] and [scan]"
                    + " sections are driftguard-scan's; policies are checked by driftguard policy check).",
                    "Exit code 0: valid; 1: invalid, with every problem printed as FILE:LINE: KEY: MESSAGE."})
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ConfigOption config;

        @Option(names = "--json", description = "{\"valid\", \"file\", \"policies\", \"store\", \"control_socket\"}, or {\"valid\": false,"
                + " \"problems\": [{\"file\", \"line\", \"key\", \"message\"}]} (exit codes as without).")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                DaemonConfig settings = config.load();
                if (json) {
                    out.println(JsonAnswer.object().put("valid", true).put("file", settings.file().toString())
                            .put("policies", settings.policiesDir().toString()).put("store", settings.store().toString())
                            .put("control_socket", settings.controlSocket().toString()));
                    return 0;
                }
                out.println("ok  " + settings.file() + ": daemon config valid");
                out.println("    policies: " + settings.policiesDir() + " (check them with: driftguard policy check "
                        + settings.policiesDir() + ")");
                out.println("    store: " + settings.store());
                out.println("    control socket: " + settings.controlSocket());
                return 0;
            } catch (ConfigException e) {
                return Rejected.report(e, json, out, err, "the daemon would not start with this config");
            }
        }
    }
}
