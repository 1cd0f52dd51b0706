package io.driftguard.daemon.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.driftguard.core.model.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a layer directory the way overlay2 stores it on the host. */
class OverlayLayerReaderTest {
    /** Only the test sets xattrs; the daemon only reads them. */
    interface XattrWriter extends Library {
        XattrWriter INSTANCE = Native.load("c", XattrWriter.class);

        int lsetxattr(String path, String name, Pointer value, long size, int flags) throws LastErrorException;
    }

    @TempDir
    Path layer;

    private Map<String, LayerEntry> read() throws Exception {
        List<LayerEntry> entries = new OverlayLayerReader().read(layer);
        return entries.stream().collect(Collectors.toMap(LayerEntry::path, Function.identity()));
    }

    @Test
    void hardLinksAreFilesWithTheSameContentAndSymlinksAreNotFollowed() throws Exception {
        Files.createDirectories(layer.resolve("bin"));
        Files.writeString(layer.resolve("bin/busybox"), "binary");
        Files.createLink(layer.resolve("bin/sh"), layer.resolve("bin/busybox"));
        Files.createSymbolicLink(layer.resolve("escape"), Path.of("/etc"));
        Files.createSymbolicLink(layer.resolve("bin/up"), Path.of("../../../../etc/shadow"));
        Map<String, LayerEntry> entries = read();
        assertThat(entries.get("/bin/sh").type()).isEqualTo(LayerEntry.Type.FILE);
        assertThat(entries.get("/bin/sh").sha256()).isEqualTo(entries.get("/bin/busybox").sha256())
                .isEqualTo(Digest.sha256("binary".getBytes(StandardCharsets.UTF_8)).hex());
        assertThat(entries.get("/escape").type()).isEqualTo(LayerEntry.Type.SYMLINK);
        assertThat(entries.get("/escape").linkTarget()).isEqualTo("/etc");
        assertThat(entries.keySet()).noneMatch(p -> p.startsWith("/escape/"));
        assertThat(entries.get("/bin/up").sha256()).isNull();
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesAsOverlay2WritesThem() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mknod and trusted.* xattrs need root");
        Files.createDirectories(layer.resolve("opt/app"));
        Process mknod = new ProcessBuilder("mknod", layer.resolve("gone").toString(), "c", "0", "0").start();
        assertThat(mknod.waitFor()).isZero();
        Memory y = new Memory(1);
        y.setByte(0, (byte) 'y');
        try {
            XattrWriter.INSTANCE.lsetxattr(layer.resolve("opt/app").toString(), "trusted.overlay.opaque", y, 1, 0);
        } catch (LastErrorException unsupported) {
            Assumptions.abort("this file system takes no trusted.* xattrs: errno " + unsupported.getErrorCode());
        }
        Map<String, LayerEntry> entries = read();
        assertThat(entries.get("/gone").type()).isEqualTo(LayerEntry.Type.WHITEOUT);
        assertThat(entries.get("/opt/app").opaque()).isTrue();
        assertThat(entries.get("/opt").opaque()).isFalse();
    }
}
