package io.driftguard.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogTest {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        Log.redirect(System.err);
    }

    @Test
    void aContainerChosenNameCannotForgeALineAPriorityOrAnEscape() {
        Log.redirect(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        Log.of(LogTest.class).warn("exec of /tmp/x\n<0>driftguard: all clear\u001b[2J\r\u009b31m answered");
        String[] lines = buffer.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
        assertThat(lines).hasSize(2).allMatch(l -> l.matches("\\S+ WARN LogTest: .*"));
        assertThat(lines[1]).isEqualTo(lines[1].substring(0, lines[1].indexOf(": ") + 2) + "  <0>driftguard: all clear\\x1b[2J\\x0d\\x9b31m answered");
        assertThat(buffer.toString(StandardCharsets.UTF_8)).doesNotContain("\u001b", "\r", "\u009b");
    }
}
