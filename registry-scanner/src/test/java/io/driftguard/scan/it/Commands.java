package io.driftguard.scan.it;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a test's helper command (skopeo, docker, tar) with fixed arguments and returns its stdout. */
final class Commands {
    private Commands() {
    }

    static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
