package io.driftguard.scan.it;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** A layer made by the real tar from a folder the test filled: the uncompressed tar and its gzip. */
record LayerTar(byte[] tar, byte[] gzip) {
    static LayerTar of(Path folder) throws Exception {
        Process p = new ProcessBuilder("tar", "-C", folder.toString(), "--numeric-owner", "-cf", "-", ".")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] tar = p.getInputStream().readAllBytes();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("tar failed for " + folder);
        }
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(z)) {
            g.write(tar);
        }
        return new LayerTar(tar, z.toByteArray());
    }
}
