package io.driftguard.daemon.baseline.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A finished command: exit code and output (stdout and stderr together). */
public record Cmd(int exitCode, String output) {

    public static Cmd run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Cmd(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    public static Cmd run(String... command) throws Exception {
        return run(List.of(command));
    }

    public boolean denied() {
        return exitCode != 0 && (output.contains("operation not permitted") || output.contains("Permission denied"));
    }
}
