package io.driftguard.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.daemon.app.ControlClient;
import io.driftguard.daemon.app.ControlSocketDenied;
import io.driftguard.daemon.app.DaemonConfig;
import io.driftguard.daemon.docker.ContainerResponder;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code driftguard isolate} and {@code driftguard release}: ask the daemon to cut or restore a
 * container's network; {@code driftguard stop}: to stop it through the Docker API.
 */
final class IsolationCommands {
    private IsolationCommands() {
    }

    /** The daemon's verb for this command; the container comes from the command line. */
    private abstract static class IsolationCommand implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Parameters(paramLabel = "CONTAINER", description = "Container name or id (at least 4 characters of it).")
        String container;

        @Option(names = "--json", description = "The daemon's answer as JSON: {\"result\": ...} or {\"error\": ...} (exit codes as without).")
        boolean json;

        abstract String verb();

        @Override
        public Integer call() throws Exception {
            DaemonConfig settings = config.load();
            JsonNode answer;
            try {
                answer = new ObjectMapper().readTree(ControlClient.request(settings.controlSocket(), verb() + " " + container));
            } catch (ControlSocketDenied e) {
                System.err.println("driftguard: " + e.getMessage());
                return 4;
            } catch (IOException e) {
                System.err.println("driftguard is not running (no answer on " + settings.controlSocket() + "): " + e.getMessage());
                return 3;
            }
            if (json) {
                System.out.println(answer);
                return answer.has("error") ? 1 : 0;
            }
            if (answer.has("error")) {
                System.err.println(answer.get("error").asText());
                return 1;
            }
            System.out.println(answer.path("result").asText());
            return 0;
        }
    }

    @Command(name = "isolate", mixinStandardHelpOptions = true,
            description = {"Drop every packet a running container sends or receives (eBPF cgroup_skb programs on its cgroup),"
                    + " until `driftguard release`. Works for any container, selected by a policy or not; both are events.",
                    "Exit code 0: done; 1: refused (reason printed); 3: the daemon is not running; 4: permission denied on the control socket."})
    static final class Isolate extends IsolationCommand {
        @Override
        String verb() {
            return "isolate";
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = {"Stop a running container through the Docker API (SIGTERM, then SIGKILL after "
                    + ContainerResponder.GRACE_SECONDS + " s), as a rule with action = \"stop\" does; an event says so."
                    + " driftguard never starts it again; Docker's restart policy does not either, until dockerd restarts.",
                    "Exit code 0: stopped; 1: refused (no such container, or Docker's reason); 3: the daemon is not running;"
                            + " 4: permission denied on the control socket."})
    static final class Stop extends IsolationCommand {
        @Override
        String verb() {
            return "stop";
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true,
            description = {"Lift the isolation of a container.", "Exit code 0: done; 1: refused; 3: the daemon is not running; 4: permission denied on the control socket."})
    static final class Release extends IsolationCommand {
        @Override
        String verb() {
            return "release";
        }
    }
}
