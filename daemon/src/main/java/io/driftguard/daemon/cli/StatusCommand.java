package io.driftguard.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.daemon.app.ControlClient;
import io.driftguard.daemon.app.ControlSocketDenied;
import io.driftguard.daemon.app.DaemonConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code driftguard status}: asks the running daemon what it enforces, and how. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show whether the daemon runs, its Docker connection and policies, which running containers are"
                + " attached (and why the others are not), and which kernel mechanism enforces each rule.",
                "Exit code 0: running; 3: not running; 4: permission denied on the control socket (run as root)."})
final class StatusCommand implements Callable<Integer> {
    private static final DateTimeFormatter SHORT_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());
    private static final int POLICY_FROM_WIDTH = 120;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "The daemon's answer as JSON (snake_case keys; the kernel probe included).")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Also list every kernel mechanism the daemon probed at start.")
    boolean verbose;

    @Option(names = "--wide", description = "Print every line in full, even on a terminal (as on a pipe).")
    boolean wide;

    private PrintWriter out;
    private Terminal terminal;

    @Override
    public Integer call() throws Exception {
        DaemonConfig settings = config.load();
        out = spec.commandLine().getOut();
        terminal = json ? new Terminal(0, false) : Terminal.detect(wide);
        String answer;
        try {
            answer = ControlClient.request(settings.controlSocket(), "status");
        } catch (ControlSocketDenied e) {
            spec.commandLine().getErr().println("driftguard: " + e.getMessage());
            return 4;
        } catch (IOException e) {
            print("driftguard is not running (no answer on " + settings.controlSocket() + ": " + e.getMessage() + ")");
            return 3;
        }
        if (json) {
            out.println(answer.trim());
            return 0;
        }
        JsonNode status = new ObjectMapper().readTree(answer);
        daemon(status);
        kernel(status.path("kernel"));
        for (JsonNode c : status.path("containers")) {
            out.println();
            container(c);
        }
        out.flush();
        return 0;
    }

    /** What changes seldom first: the daemon, Docker, policies, containers and the ones not attached. */
    private void daemon(JsonNode status) {
        print("driftguard is running (pid " + status.path("pid").asText() + ", since " + time(status.path("started").asText())
                + (status.path("ready").asBoolean(true) ? "" : ", not ready yet") + ")");
        print("Docker: " + (status.path("docker_connected").asBoolean() ? "connected" : "NOT connected"));
        List<String> policies = new ArrayList<>();
        status.path("policies").forEach(p -> policies.add(p.asText()));
        print("Policies (" + policies.size() + ") from " + status.path("policies_dir").asText() + ": "
                + (policies.isEmpty() ? "none" : String.join(", ", policies)));
        print("Containers: " + status.path("attached_containers").asText() + " attached of "
                + status.path("running_containers").asText() + " running");
        for (JsonNode c : status.path("unattached")) {
            print("  not attached: " + c.path("container_name").asText() + ": " + c.path("reason").asText() + " ("
                    + shortId(c) + ", image " + c.path("image").asText() + ")");
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
        if (status.path("events_dropped").asLong() > 0) {
            print("Events dropped (queue full): " + status.path("events_dropped").asText());
        }
        if (status.path("kernel_events_lost").asLong() > 0) {
            print("Kernel events lost (ring buffer full): " + status.path("kernel_events_lost").asText());
        }
        for (JsonNode o : status.path("outputs")) {
            print("Output " + o.path("name").asText() + " to " + o.path("target").asText() + ": " + o.path("sent").asText()
                    + " sent, " + o.path("dropped").asText() + " dropped, " + o.path("queued").asText() + " queued");
        }
        if (!status.path("metrics").asText("off").equals("off")) {
            print("Metrics: http://" + status.path("metrics").asText() + "/metrics");
        }
    }

    /** The kernel probe: a count, or with --verbose every mechanism, by name. */
    private void kernel(JsonNode kernel) {
        Map<String, String> mechanisms = new TreeMap<>();
        kernel.fields().forEachRemaining(e -> mechanisms.put(e.getKey(), e.getValue().asText()));
        if (verbose) {
            print("Kernel mechanisms:");
            mechanisms.forEach((name, result) -> print("  " + name + ": " + result));
            return;
        }
        List<String> missing = mechanisms.entrySet().stream()
                .filter(e -> e.getValue().startsWith("no") || e.getValue().startsWith("unavailable")).map(Map.Entry::getKey).toList();
        print("Kernel: " + (mechanisms.size() - missing.size()) + " of " + mechanisms.size() + " mechanisms available"
                + (missing.isEmpty() ? "" : "; not: " + String.join(", ", missing)) + " (--verbose lists them)");
    }

    private void container(JsonNode c) {
        print(c.path("container_name").asText() + " (" + shortId(c) + ", image " + c.path("image").asText() + "): "
                + "policies " + join(c.path("policies")) + ", " + c.path("decisions").asText() + " exec decisions");
        boolean failed = !c.path("error").isNull() && !c.path("error").asText().isEmpty();
        if (failed && c.path("rules").isEmpty()) {
            print("  NOT ENFORCED: " + c.path("error").asText());
            return;
        }
        if (failed) {
            print("  PARTLY ENFORCED: " + c.path("error").asText());
        }
        if (c.path("isolated").asBoolean()) {
            print("  ISOLATED: every packet is dropped until `driftguard release`");
        }
        if (c.path("rules").isEmpty()) {
            return;
        }
        boolean policyColumn = !terminal.fits() || terminal.width() >= POLICY_FROM_WIDTH;
        List<Table.Column> columns = new ArrayList<>(List.of(new Table.Column("KIND", 12), new Table.Column("RULE", 30)));
        if (policyColumn) {
            columns.add(new Table.Column("POLICY", 24));
        }
        columns.addAll(List.of(new Table.Column("ACTION", 7), new Table.Column("MECHANISM", Integer.MAX_VALUE)));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : c.path("rules")) {
            String mechanism = r.path("mechanism").asText();
            List<String> row = new ArrayList<>(List.of(r.path("kind").asText(), r.path("rule").asText()));
            if (policyColumn) {
                row.add(r.path("policy").asText());
            }
            row.add(r.path("action").asText());
            row.add(mechanism + (mechanism.startsWith("fanotify FAN_OPEN_EXEC_PERM")
                    ? ", " + r.path("files_resolved").asText() + " files resolved" : ""));
            rows.add(row);
        }
        Terminal indented = terminal.fits() ? new Terminal(terminal.width() - 2, terminal.colour()) : terminal;
        new Table(columns, indented, rows).lines(rows).forEach(line -> out.println("  " + line));
    }

    private static String shortId(JsonNode c) {
        String id = c.path("container_id").asText();
        return id.substring(0, Math.min(12, id.length()));
    }

    private static String join(JsonNode names) {
        List<String> all = new ArrayList<>();
        names.forEach(n -> all.add(n.asText()));
        return all.isEmpty() ? "none" : String.join(", ", all);
    }

    private static String time(String iso) {
        try {
            return SHORT_TIME.format(Instant.parse(iso));
        } catch (RuntimeException e) {
            return iso;
        }
    }

    /** One line, escaped (container-chosen names are in it) and cut to the terminal's width. */
    private void print(String line) {
        out.println(Table.fit(line, terminal));
    }
}
