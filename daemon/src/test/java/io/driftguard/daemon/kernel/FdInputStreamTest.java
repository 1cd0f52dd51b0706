package io.driftguard.daemon.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import io.driftguard.core.model.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FdInputStreamTest {
    @Test
    void hashesTheWholeFileAndLeavesTheDescriptorsOffsetAlone(@TempDir Path dir) throws Exception {
        byte[] content = new byte[300_000];
        new Random(1).nextBytes(content);
        Path file = Files.write(dir.resolve("binary"), content);
        int fd = LibC.INSTANCE.open(file.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        try {
            assertThat(Digest.sha256(new FdInputStream(fd))).isEqualTo(Digest.sha256(content));
            Memory first = new Memory(4);
            assertThat(LibC.INSTANCE.read(fd, first, 4)).isEqualTo(4);
            assertThat(first.getByteArray(0, 4)).containsExactly(content[0], content[1], content[2], content[3]);
        } finally {
            RootedOpen.close(fd);
        }
    }

    @Test
    void aFailedReadNamesTheCallAndTheDescriptor() {
        assertThatThrownBy(() -> new FdInputStream(-1).read(new byte[8], 0, 8))
                .hasMessageStartingWith("pread(fd -1): Bad file descriptor (errno 9)");
    }
}
