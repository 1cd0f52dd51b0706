package io.driftguard.daemon.cli;

import io.driftguard.core.text.Printable;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.daemon.app.ControlClient;
import io.driftguard.daemon.app.ControlSocketDenied;
import io.driftguard.daemon.app.DaemonConfig;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code driftguard status}: asks the running daemon what it enforces, and how. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show whether the daemon runs, the containers it has attached, and which kernel mechanism"
                + " enforces each of their rules.", "Exit code 0: running; 3: not running; 4: permission denied on the control socket (run as root)."})
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "The daemon's answer as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        DaemonConfig settings = config.load();
        String answer;
        try {
            answer = ControlClient.request(settings.controlSocket(), "status");
        } catch (ControlSocketDenied e) {
            System.err.println("driftguard: " + e.getMessage());
            return 4;
        } catch (IOException e) {
            print("driftguard is not running (no answer on " + settings.controlSocket() + ": " + e.getMessage() + ")");
            return 3;
        }
        if (json) {
            System.out.println(answer.trim());
            return 0;
        }
        JsonNode status = new ObjectMapper().readTree(answer);
        print("driftguard is running (pid " + status.path("pid").asText() + ", since "
                + status.path("started").asText() + ")");
        print("Docker: " + (status.path("docker_connected").asBoolean() ? "connected" : "NOT connected"));
        print("Policies (" + status.path("policies").size() + ") from " + status.path("policies_dir").asText()
                + ": " + status.path("policies"));
        print("Containers: " + status.path("attached_containers").asText() + " attached of "
                + status.path("running_containers").asText() + " running");
        if (status.path("events_dropped").asLong() > 0) {
            print("Events dropped (queue full): " + status.path("events_dropped").asText());
        }
        JsonNode admission = status.path("admission");
        if (admission.isObject()) {
            print("Admission plugin on " + admission.path("socket").asText() + ": " + admission.path("requests").asText()
                    + " requests, " + admission.path("denied").asText() + " denied (" + admission.path("unjudgeable").asText()
                    + " unjudgeable), " + admission.path("alerted").asText() + " alerted");
        }
        JsonNode race = status.path("start_race");
        if (race.isObject()) {
            print("Start race: " + race.path("mechanism").asText() + "; hook " + race.path("hook").asText()
                    + (race.has("hook_socket") ? " (" + race.path("hook_socket").asText() + ", fail = " + race.path("fail").asText()
                    + ", " + race.path("attached_before_first_exec").asText() + " attached before the first exec, "
                    + race.path("not_selected").asText() + " not selected, " + race.path("fallbacks").asText() + " fallbacks)" : "")
                    + "; kernel backstop " + (race.path("kernel_backstop").asBoolean() ? "on" : "off"));
        }
        print("Kernel mechanisms:");
        status.path("kernel").fields().forEachRemaining(e -> print("  " + e.getKey() + ": " + e.getValue().asText()));
        if (status.path("kernel_events_lost").asLong() > 0) {
            print("Kernel events lost (ring buffer full): " + status.path("kernel_events_lost").asText());
        }
        for (JsonNode c : status.path("containers")) {
            System.out.println();
            print("  " + c.path("containerName").asText() + " (" + c.path("containerId").asText().substring(0, 12)
                    + ", image " + c.path("image").asText() + ")");
            boolean failed = !c.path("error").isNull() && !c.path("error").asText().isEmpty();
            if (failed && c.path("rules").isEmpty()) {
                print("    NOT ENFORCED: " + c.path("error").asText());
                continue;
            }
            if (failed) {
                print("    PARTLY ENFORCED: " + c.path("error").asText());
            }
            if (c.path("isolated").asBoolean()) {
                print("    ISOLATED: every packet is dropped until `driftguard release`");
            }
            print("    policies " + c.path("policies") + ", " + c.path("decisions").asText() + " exec decisions");
            for (JsonNode r : c.path("rules")) {
                boolean resolvesFiles = r.path("mechanism").asText().startsWith("fanotify FAN_OPEN_EXEC_PERM");
                print("    " + r.path("kind").asText() + " rule " + r.path("rule").asText() + " -> "
                        + r.path("action").asText() + " via " + r.path("mechanism").asText()
                        + (resolvesFiles ? ", " + r.path("filesResolved").asText() + " files resolved" : ""));
            }
        }
        return 0;
    }

    /** One line of text output; container-chosen names in it are escaped. */
    static void print(String line) {
        System.out.println(Printable.escape(line));
    }
}
