package io.driftguard.daemon.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventAction;
import io.driftguard.core.event.EventJson;
import io.driftguard.core.event.EventKind;
import io.driftguard.core.event.ProcessInfo;
import io.driftguard.core.event.Severity;
import java.time.Instant;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class Rfc5424Test {
    /** RFC 5424 section 6: HEADER SP STRUCTURED-DATA SP MSG, with the header fields' alphabets and lengths. */
    static final Pattern SYSLOG = Pattern.compile("<(\\d{1,3})>1 (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{1,6}Z) "
            + "([!-~]{1,255}) ([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) (?<sd>-|\\[[^ =\\]\"]{1,32}( [^ =\\]\"]{1,32}=\"(\\\\[\"\\\\\\]]|[^\"\\\\\\]])*\")*\\]) \uFEFF(?<msg>.*)",
            Pattern.DOTALL);

    private static final Event BLOCKED = Event.builder(EventKind.PROCESS, EventAction.BLOCKED, Severity.HIGH)
            .time(Instant.parse("2026-12-01T23:05:05.123456789Z")).host("web host 1")
            .container("0123456789ab", "web\"]1", "busybox:1", null).policy("NoShells", "no-shells")
            .process(new ProcessInfo(42, "/bin/s\\h\n<13>1 forged", null, 0))
            .detail("why", "a]b")
            .message("Blocked exec of /bin/sh\n<13>1 2026 forged line")
            .build();

    @Test
    void structuredDataCarriesTheFieldsEscaped() {
        String line = new Rfc5424(16, false, 777).format(BLOCKED);
        var m = SYSLOG.matcher(line);
        assertThat(m.matches()).as(line).isTrue();
        assertThat(m.group(1)).isEqualTo("131"); // local0 (16) * 8 + err (3)
        assertThat(m.group(2)).isEqualTo("2026-12-01T23:05:05.123456Z");
        assertThat(m.group(3)).isEqualTo("web_host_1");
        assertThat(m.group(4) + " " + m.group(5) + " " + m.group(6)).isEqualTo("driftguard 777 process");
        assertThat(m.group("sd")).startsWith("[driftguard@32473 kind=\"process\" action=\"blocked\" severity=\"high\" policy=\"NoShells\"")
                .contains("container_name=\"web\\\"\\]1\"", "path=\"/bin/s\\\\h\\\\x0a<13>1 forged\"", "uid=\"0\"", "why=\"a\\]b\"");
        assertThat(line).doesNotContain("\n");
        assertThat(m.group("msg")).isEqualTo("Blocked exec of /bin/sh\\x0a<13>1 2026 forged line");
    }

    @Test
    void jsonFormatPutsTheWholeEventInMsg() {
        var m = SYSLOG.matcher(new Rfc5424(3, true, 1).format(BLOCKED));
        assertThat(m.matches()).isTrue();
        assertThat(m.group("sd")).isEqualTo("-");
        assertThat(EventJson.fromJson(m.group("msg"))).isEqualTo(BLOCKED);
    }
}
