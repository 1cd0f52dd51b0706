package io.driftguard.daemon.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.SocketException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlClientTest {
    @TempDir
    Path dir;

    @Test
    void eaccesOnConnectIsPermissionDeniedNotNotRunning() {
        // What the JDK throws when a non-root user connects to the 0600 root socket (checked with setpriv).
        Path socket = Path.of("/run/driftguard/control.sock");
        assertThat(ControlClient.explain(socket, new BindException("Permission denied")))
                .isInstanceOf(ControlSocketDenied.class)
                .hasMessage("permission denied on /run/driftguard/control.sock: run as root");
    }

    @Test
    void aMissingSocketStaysNotRunning() {
        assertThatThrownBy(() -> ControlClient.request(dir.resolve("control.sock"), "status"))
                .isInstanceOf(SocketException.class)
                .isNotInstanceOf(ControlSocketDenied.class);
    }
}
