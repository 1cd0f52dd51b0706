package io.driftguard.scan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.scan.run.Finding;
import io.driftguard.scan.run.FindingType;
import io.driftguard.scan.run.RunSummary;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextReportTest {
    @Test
    void aNewlineInAnImageChosenPathStartsNoLineOfItsOwn() {
        Finding setuid = new Finding(FindingType.MISCONFIGURATION, "registry.local", "team/app", "1",
                "registry.local/team/app:1: Misconfiguration: setuid/setgid file 'opt/x\n<0>forged\u001b[2J'",
                Map.of("severity", "low"));
        RunSummary summary = new RunSummary(List.of(), 0, 0, 0, 0, List.of(), Duration.ofSeconds(1));

        List<String> lines = TextReport.of(List.of(setuid), summary).lines().toList();

        assertThat(lines.get(0)).isEqualTo(
                "misconfiguration: registry.local/team/app:1: Misconfiguration: setuid/setgid file 'opt/x\\x0a<0>forged\\x1b[2J'");
        assertThat(lines).hasSize(2).noneMatch(line -> line.startsWith("<"));
        assertThat(lines.get(1)).startsWith("scan finished in 1.0 s");
    }
}
