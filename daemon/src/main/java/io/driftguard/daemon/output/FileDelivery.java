package io.driftguard.daemon.output;

import io.driftguard.core.event.Event;
import io.driftguard.core.event.EventJson;
import io.driftguard.core.fs.TrustedPath;
import io.driftguard.core.log.Log;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Appends each event as one JSON line to a file that only root reads (0600). The file is opened
 * anew on SIGHUP, and before a write when the path no longer names the open file (logrotate moved
 * or deleted it), so that rotation needs no copytruncate. Its folder must be trusted as the
 * store's is: a folder others can write would let them point the file elsewhere.
 */
final class FileDelivery implements Delivery {
    private static final Log LOG = Log.of(FileDelivery.class);
    private static final Set<OpenOption> APPEND = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);

    private final Path path;
    private FileChannel channel;
    private Object openKey;

    FileDelivery(Path path) {
        this.path = path;
    }

    @Override
    public String target() {
        return path.toString();
    }

    @Override
    public void deliver(Event event) throws IOException {
        if (channel == null || rotated()) {
            open();
        }
        ByteBuffer line = ByteBuffer.wrap((EventJson.toJson(event) + "\n").getBytes(StandardCharsets.UTF_8));
        while (line.hasRemaining()) {
            channel.write(line);
        }
    }

    @Override
    public void reopen() {
        closeChannel();
    }

    /** True when the path is gone or is another file than the one open. */
    private boolean rotated() throws IOException {
        try {
            return !Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS).equals(openKey);
        } catch (NoSuchFileException e) {
            return true;
        }
    }

    private void open() throws IOException {
        closeChannel();
        TrustedPath.require(path.getParent());
        channel = FileChannel.open(path, APPEND, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        // A file made by someone else (or before) keeps its mode on open: make it owner-only.
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        openKey = Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warn("closing " + path + ": " + e.getMessage());
            }
            channel = null;
        }
    }

    @Override
    public void close() {
        closeChannel();
    }
}
