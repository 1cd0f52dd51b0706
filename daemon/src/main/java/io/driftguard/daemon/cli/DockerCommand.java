package io.driftguard.daemon.cli;

import io.driftguard.core.toml.ConfigException;
import io.driftguard.daemon.app.DaemonConfig;
import io.driftguard.daemon.app.RuntimeSettings;
import io.driftguard.daemon.dockersetup.AuthorizationPluginSetting;
import io.driftguard.daemon.dockersetup.DockerReload;
import io.driftguard.daemon.dockersetup.DockerSetting;
import io.driftguard.daemon.dockersetup.DockerSetup;
import io.driftguard.daemon.dockersetup.RuntimeSetting;
import io.driftguard.daemon.dockersetup.SetupException;
import io.driftguard.core.cli.GroupCommand;
import io.driftguard.core.cli.JsonAnswer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code driftguard docker setup|undo}: driftguard's entries in Docker's daemon.json. */
@Command(name = "docker", mixinStandardHelpOptions = true, description = "Set Docker up to use driftguard, or undo it.",
        subcommands = {DockerCommand.Setup.class, DockerCommand.Undo.class})
final class DockerCommand extends GroupCommand {
    DockerCommand() {
        super("setup or undo");
    }

    /** What both subcommands share: where daemon.json is and how dockerd is reloaded. */
    static class Target {
        @Mixin
        ConfigOption config;

        @Option(names = "--daemon-json", paramLabel = "FILE", defaultValue = "/etc/docker/daemon.json",
                description = "Docker's daemon.json (default: ${DEFAULT-VALUE}).")
        Path daemonJson;

        @Option(names = "--pidfile", paramLabel = "FILE", defaultValue = "/var/run/docker.pid",
                description = "dockerd's pidfile; dockerd is reloaded by SIGHUP to that pid, as docker.service's"
                        + " ExecReload does (default: ${DEFAULT-VALUE}).")
        Path pidfile;

        @Option(names = "--json", description = "{\"result\": what was done} or {\"error\": why nothing was} (exit codes as without).")
        boolean json;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        DockerSetup setup(PrintStream out) throws ConfigException, SetupException {
            DaemonConfig settings = config.load();
            List<DockerSetting> wanted = new ArrayList<>();
            if (settings.admissionSocket() != null) {
                wanted.add(AuthorizationPluginSetting.forSocket(settings.admissionSocket()));
            }
            RuntimeSettings runtime = settings.runtime();
            if (runtime.hookSocket() != null) {
                wanted.add(RuntimeSetting.of(runtime.name(), runtime.binary(), runtime.runc(), runtime.hookSocket(),
                        runtime.failClosed(), runtime.timeout()));
            }
            if (wanted.isEmpty()) {
                throw new SetupException("[admission] socket and [runtime] hook_socket are both \"\" in " + settings.file()
                        + ": there is nothing to add");
            }
            return new DockerSetup(daemonJson, wanted, new DockerReload(pidfile), out);
        }

        Integer run(boolean undo) throws ConfigException {
            // With --json what DockerSetup reports is collected into the one answer.
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            PrintStream out = json ? new PrintStream(said, true, StandardCharsets.UTF_8) : System.out;
            try {
                DockerSetup setup = setup(out);
                if (undo) {
                    setup.undo();
                } else {
                    setup.setup();
                }
                if (json) {
                    spec.commandLine().getOut().println(JsonAnswer.result(said.toString(StandardCharsets.UTF_8).trim()));
                }
                return 0;
            } catch (SetupException | IOException e) {
                if (json) {
                    spec.commandLine().getOut().println(JsonAnswer.error(e.getMessage()));
                } else {
                    System.err.println("driftguard docker " + (undo ? "undo" : "setup") + ": " + e.getMessage());
                }
                return 1;
            }
        }
    }

    @Command(name = "setup", mixinStandardHelpOptions = true,
            description = {"Add driftguard's authorization plugin and its runtime (driftguard-runtime wrapping runc, as the"
                    + " default runtime, so that enforcement is attached before a container's first exec) to Docker's"
                    + " daemon.json (the original is kept as daemon.json.driftguard-backup) and reload dockerd."
                    + " Does nothing when already set up. [admission] socket = \"\" or [runtime] hook_socket = \"\""
                    + " leaves that part out.",
                    "The plugin's and the hook's sockets must answer first: Docker refuses every request while a"
                    + " configured plugin is away, and (with [runtime] fail = \"closed\") every container start while the"
                    + " hook gets no answer.",
                    "Exit code 0: set up; 1: not changed, with the reason."})
    static final class Setup extends Target implements Callable<Integer> {
        @Override
        public Integer call() throws ConfigException {
            return run(false);
        }
    }

    @Command(name = "undo", mixinStandardHelpOptions = true,
            description = {"Take driftguard out of Docker's daemon.json and reload dockerd: the original file comes back"
                    + " byte for byte when it was not changed since setup, else only driftguard's entries are removed."
                    + " The runtime's name stays, as the wrapper without its hook (containers created with it still start) and"
                    + " \"default-runtime\": \"runc\" is written, since a reload keeps a default the file no longer names.",
                    "Exit code 0: undone (or nothing to undo); 1: not changed, with the reason."})
    static final class Undo extends Target implements Callable<Integer> {
        @Override
        public Integer call() throws ConfigException {
            return run(true);
        }
    }
}
