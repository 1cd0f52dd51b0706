package io.driftguard.daemon.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Builds dgtool.c (a test resource) statically with gcc, once per JVM. */
public final class DgTool {
    private static Path binary;

    private DgTool() {
    }

    public static synchronized Path build() throws IOException {
        if (binary != null) {
            return binary;
        }
        Path dir = Files.createTempDirectory("dgtool");
        Path source = dir.resolve("dgtool.c");
        try (InputStream in = DgTool.class.getResourceAsStream("dgtool.c")) {
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Path out = dir.resolve("dgtool");
        TestContainer.Result r = TestContainer.run("gcc", "-static", "-O2", "-o", out.toString(), source.toString());
        if (r.exitCode() != 0) {
            throw new IOException("gcc -static dgtool.c failed (Debian: gcc libc6-dev): " + r.output());
        }
        binary = out;
        return out;
    }
}
