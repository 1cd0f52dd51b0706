package io.driftguard.daemon.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.driftguard.core.config.ConfigFile;
import io.driftguard.core.toml.ConfigException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputConfigTest {
    private static final Path CONFIG = Path.of("/etc/driftguard/driftguard.toml");

    @Test
    void eachTypeWithItsDefaults() throws Exception {
        List<OutputSettings> outputs = read("""
                [[output]]
                type = "file"
                path = "events.json"
                [[output]]
                type = "syslog"
                [[output]]
                type = "syslog"
                name = "siem"
                address = "tcp://[::1]:6514"
                facility = "local3"
                format = "json"
                [[output]]
                type = "webhook"
                url = "http://127.0.0.1:2801/"
                """);
        assertThat(outputs).containsExactly(
                new OutputSettings.File("file", 10_000, Path.of("/etc/driftguard/events.json")),
                new OutputSettings.Syslog("syslog", 10_000, new SyslogAddress(SyslogAddress.Transport.UNIX, "/dev/log", 0), 3, false),
                new OutputSettings.Syslog("siem", 10_000, new SyslogAddress(SyslogAddress.Transport.TCP, "::1", 6514), 19, true),
                new OutputSettings.Webhook("webhook", 1000, URI.create("http://127.0.0.1:2801/"), Duration.ofSeconds(5), 3,
                        Duration.ofSeconds(1)));
        assertThat(((OutputSettings.Syslog) outputs.get(2)).address()).hasToString("tcp://[::1]:6514");
    }

    @Test
    void badValuesNameFileLineAndKey() {
        assertThatThrownBy(() -> read("[[output]]\ntype = \"kafka\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("driftguard.toml:2: output[0].type: must be file, syslog or webhook, not 'kafka'");
        assertThatThrownBy(() -> read("[[output]]\ntype = \"file\"\n")).hasMessageContaining("missing required key 'path'");
        assertThatThrownBy(() -> read("[[output]]\ntype = \"syslog\"\naddress = \"udp://host\"\n"))
                .hasMessageContaining("driftguard.toml:3: output[0].address: must be unix:/PATH, udp://HOST:PORT or tcp://HOST:PORT");
        assertThatThrownBy(() -> read("[[output]]\ntype = \"syslog\"\nfacility = \"local9\"\n"))
                .hasMessageContaining("output[0].facility: must be one of kern,");
        assertThatThrownBy(() -> read("[[output]]\ntype = \"webhook\"\nurl = \"ftp://x/\"\n"))
                .hasMessageContaining("output[0].url: must be an http:// or https:// URL");
        assertThatThrownBy(() -> read("[[output]]\ntype = \"webhook\"\nurl = \"https://u:secret@x/\"\n"))
                .hasMessageContaining("must not hold credentials");
        assertThatThrownBy(() -> read("[[output]]\ntype = \"webhook\"\nurl = \"http://x/\"\nretries = 11\nqueue_size = 0\n"))
                .hasMessageContaining("output[0].retries: must be between 0 and 10")
                .hasMessageContaining("output[0].queue_size: must be between 1 and 1000000");
        assertThatThrownBy(() -> read("[[output]]\ntype = \"webhook\"\nurl = \"http://x/\"\ntimeout = \"2m\"\n"))
                .hasMessageContaining("output[0].timeout: must be between 1ms and 60s");
        assertThatThrownBy(() -> read("[[output]]\ntype = \"file\"\npath = \"a\"\npaht = \"b\"\n"))
                .hasMessageContaining("output[0].paht: unknown key");
    }

    @Test
    void twoOutputsOfOneTypeNeedNames() {
        assertThatThrownBy(() -> read("[[output]]\ntype = \"file\"\npath = \"a\"\n[[output]]\ntype = \"file\"\npath = \"b\"\n"))
                .hasMessageContaining("output[1].type: a second output named 'file'");
    }

    private static List<OutputSettings> read(String toml) throws ConfigException {
        ConfigFile config = ConfigFile.parse(CONFIG, toml);
        List<OutputSettings> outputs = OutputConfig.read(config);
        config.finish();
        return outputs;
    }
}
