package io.driftguard.scan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.scan.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

/** Runs the driftguard-scan command line in-process against a config file written by the test. */
final class Scanner {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The outcome of one command: exit code, stdout, stderr. */
    record Result(int code, String out, String err) {
        JsonNode report() {
            try {
                return JSON.readTree(out);
            } catch (Exception e) {
                throw new AssertionError("no JSON report on stdout: " + out + "\nstderr: " + err, e);
            }
        }

        List<JsonNode> findings(String type) {
            List<JsonNode> found = new ArrayList<>();
            StreamSupport.stream(report().path("findings").spliterator(), false)
                    .filter(f -> f.path("details").path("finding").asText().equals(type))
                    .forEach(found::add);
            return found;
        }

        @Override
        public String toString() {
            return "exit " + code + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private final Path config;

    Scanner(Path dir, String registryTables) throws Exception {
        this(dir, "", registryTables);
    }

    /** {@code scanSettings} are extra lines for the [scan] table. */
    Scanner(Path dir, String scanSettings, String registryTables) throws Exception {
        this(dir, "path = \"driftguard.db\"\n", scanSettings, registryTables);
    }

    /** {@code store} is the body of the [store] table. */
    Scanner(Path dir, String store, String scanSettings, String registryTables) throws Exception {
        this.config = dir.resolve("driftguard.toml");
        Files.writeString(config, "[store]\n" + store + """

                [scan]
                retries = 3
                retry_delay = "100ms"
                timeout = "20s"
                """ + scanSettings + "\n\n" + registryTables);
    }

    Path config() {
        return config;
    }

    Result run(String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--config", config.toString(), "--once", "--json"));
        args.addAll(List.of(extra));
        return command(args.toArray(String[]::new));
    }

    Result command(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    Result cli(String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command, "--config", config.toString()));
        all.addAll(List.of(args));
        return command(all.toArray(String[]::new));
    }
}
