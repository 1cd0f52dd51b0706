package io.driftguard.daemon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.driftguard.core.testing.CliWalk;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class CliErrorsTest {
    @Test
    void noCommandPrintsAStackTraceOnBadInput() {
        assertEquals(List.of(), CliWalk.stackTraces(Main.commandLine(), Main::execute));
    }

    @Test
    void noCommandIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(2, code);
        assertTrue(err.toString().contains("Usage: driftguard"), err.toString());
    }
}
