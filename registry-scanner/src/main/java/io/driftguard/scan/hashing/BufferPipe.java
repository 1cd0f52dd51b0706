package io.driftguard.scan.hashing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hands the HTTP client's buffers to a reader thread as an InputStream without copying them. The
 * client is asked for {@link #AHEAD} batches at first and for one more each time the reader has
 * used one up ({@code more}): the download and its hashing run ahead of the parser by that much,
 * so neither waits for the other's every batch, and a slow parser still slows the download
 * instead of filling memory.
 */
final class BufferPipe extends InputStream {
    /** Batches in flight: with 256 KiB client buffers, about a MiB per blob being read. */
    static final int AHEAD = 4;
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Runnable more;
    private List<ByteBuffer> batch = List.of();
    private int index;
    private boolean ended;

    BufferPipe(Runnable more) {
        this.more = more;
    }

    void offer(List<ByteBuffer> buffers) {
        queue.add(buffers);
    }

    void end() {
        queue.add(END);
    }

    void fail(Throwable error) {
        queue.add(error);
    }

    @Override
    public int read() throws IOException {
        ByteBuffer current = current();
        return current == null ? -1 : current.get() & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        ByteBuffer current = current();
        if (current == null) {
            return -1;
        }
        int n = Math.min(len, current.remaining());
        current.get(b, off, n);
        return n;
    }

    /** The buffer to read from next, waiting for the client; null at the end. */
    private ByteBuffer current() throws IOException {
        while (!ended) {
            while (index < batch.size()) {
                if (batch.get(index).hasRemaining()) {
                    return batch.get(index);
                }
                index++;
            }
            if (!batch.isEmpty()) {
                batch = List.of();
                more.run();
            }
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading a blob");
            }
            if (next == END) {
                ended = true;
            } else if (next instanceof Throwable error) {
                ended = true;
                throw new IOException("blob download failed: " + error, error);
            } else {
                @SuppressWarnings("unchecked")
                List<ByteBuffer> buffers = (List<ByteBuffer>) next;
                batch = buffers;
                index = 0;
            }
        }
        return null;
    }
}
