package io.driftguard.scan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.driftguard.core.testing.CliWalk;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliErrorsTest {
    @Test
    void noCommandPrintsAStackTraceOnBadInput() {
        assertEquals(List.of(), CliWalk.stackTraces(Main.commandLine(), Main::execute));
    }
}
