package io.driftguard.scan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.testing.CliWalk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json} on every command of driftguard-scan, and JSON with snake_case keys from each that ran. */
class JsonOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static JsonNode json(Run run) throws Exception {
        assertThat(CliWalk.jsonProblem(run.out())).as(run.toString()).isNull();
        assertThat(run.out().lines().count()).as(run.toString()).isEqualTo(1);
        return JSON.readTree(run.out());
    }

    @Test
    void everyCommandThatPrintsTakesJson() {
        assertThat(CliWalk.withoutJson(Main.commandLine(), Set.of())).isEmpty();
    }

    @Test
    void onBadInputEveryJsonCommandPrintsJsonOrNothing() {
        assertThat(CliWalk.notJson(Main.commandLine(), Main::execute, List.of(
                List.of("--config", "/nonexistent/driftguard-test.toml", "{positionals}")))).isEmpty();
    }

    @Test
    void dbImportStatusAndApproveAnswerInJson() throws Exception {
        String config = Files.writeString(tmp.resolve("driftguard.toml"), "[store]\npath = \"" + tmp.resolve("driftguard.db") + "\"\n").toString();
        Path osv = Files.createDirectories(tmp.resolve("osv"));
        Files.writeString(osv.resolve("DSA-9999-1.json"), """
                {"schema_version": "1.6.0", "id": "DSA-9999-1", "aliases": ["CVE-2099-0001"], "modified": "2026-11-30T10:00:00Z",
                 "summary": "test advisory",
                 "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"},
                               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.20-1~deb12u3"}]}]}]}
                """);
        Run imported = run("db", "import", "--json", "--config", config, osv.toString());
        assertThat(imported.code()).as(imported.toString()).isZero();
        assertThat(json(imported).path("imports").get(0).path("advisories").asLong()).isEqualTo(1);

        JsonNode status = json(run("db", "status", "--json", "--config", config));
        assertThat(status.path("advisories").get(0).path("ecosystem").asText()).isEqualTo("Debian:12");
        assertThat(status.path("too_old").asBoolean()).isFalse();

        Run approve = run("approve", "--json", "--config", config, "127.0.0.1:5000/team/app:1");
        assertThat(approve.code()).isEqualTo(ExitCodes.CANNOT_RUN);
        JsonNode refused = json(approve);
        assertThat(refused.path("approved")).isEmpty();
        assertThat(refused.path("refused").get(0).asText()).contains("no digest seen yet for 127.0.0.1:5000/team/app:1");

        Run nothingToScan = run("run", "--once", "--json", "--config", config);
        assertThat(nothingToScan.code()).as(nothingToScan.toString()).isZero();
        assertThat(json(nothingToScan).path("result").asText()).endsWith("no [[registry]] tables; nothing to scan");
    }
}
