package io.driftguard.scan.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.driftguard.core.text.Printable;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One {@code GET} to the Docker Engine API over its unix socket, the answer's body as a stream
 * (chunked, sized or to the end). Written here because the scanner needs one streaming request
 * and nothing else of a Docker client: docker-java stays in the daemon. The path is built by the
 * caller from a validated name; answers are bounded where they are read into memory.
 */
final class EngineSocket {
    private static final int MAX_HEADER_BYTES = 64 << 10;
    private static final int MAX_ERROR_BYTES = 64 << 10;

    /** The engine answered with an error status; {@code message} is its own. */
    static final class EngineError extends IOException {
        final int status;

        EngineError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private EngineSocket() {
    }

    /** Sends {@code GET path}; the caller closes the stream, which closes the connection. */
    static InputStream get(Path socket, String path) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            String request = "GET " + path + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: driftguard-scan\r\nConnection: close\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                channel.write(out);
            }
            BufferedInputStream in = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
            String status = line(in);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[0-9]{3}")) {
                throw new IOException("not an HTTP answer from " + socket + ": " + Printable.of(status));
            }
            int code = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            int headerBytes = 0;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                headerBytes += header.length();
                if (headerBytes > MAX_HEADER_BYTES) {
                    throw new IOException("the engine's answer headers exceed " + MAX_HEADER_BYTES + " bytes");
                }
                int colon = header.indexOf(':');
                String name = colon < 0 ? header : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = colon < 0 ? "" : header.substring(colon + 1).trim();
                if (name.equals("content-length") && value.matches("[0-9]{1,18}")) {
                    length = Long.parseLong(value);
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            InputStream body = chunked ? new Chunked(in) : length >= 0 ? new Sized(in, length) : in;
            if (code != 200) {
                byte[] text = body.readNBytes(MAX_ERROR_BYTES);
                channel.close();
                throw new EngineError(code, message(text));
            }
            return body;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The engine's error text: the "message" of its JSON answer, else the answer itself; escaped. */
    private static String message(byte[] body) {
        try {
            JsonNode json = new ObjectMapper().readTree(body);
            if (json != null && json.path("message").isTextual()) {
                return Printable.of(json.path("message").asText());
            }
        } catch (IOException notJson) {
            // Shown as it came.
        }
        return Printable.of(new String(body, StandardCharsets.UTF_8).trim());
    }

    /** A CRLF-ended line of headers, without the CRLF. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the engine closed the connection in the answer's headers");
            }
            if (line.length() > MAX_HEADER_BYTES) {
                throw new IOException("an answer header line exceeds " + MAX_HEADER_BYTES + " bytes");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** A body within the connection's stream: skip and available go through its framing, never around it. */
    private abstract static class Framed extends FilterInputStream {
        Framed(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] sink = new byte[(int) Math.min(n, 1 << 16)];
            long skipped = 0;
            while (skipped < n) {
                int r = read(sink, 0, (int) Math.min(sink.length, n - skipped));
                if (r < 0) {
                    break;
                }
                skipped += r;
            }
            return skipped;
        }

        @Override
        public int available() {
            return 0;
        }
    }

    /** A body of known length. */
    private static final class Sized extends Framed {
        private long left;

        Sized(InputStream in, long length) {
            super(in);
            left = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the engine's answer ended " + left + " bytes early");
            }
            left -= n;
            return n;
        }
    }

    /** A chunked body (RFC 9112 7.1); trailers are skipped. */
    private static final class Chunked extends Framed {
        private long left;
        private boolean ended;

        Chunked(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                int semicolon = size.indexOf(';');
                String hex = (semicolon < 0 ? size : size.substring(0, semicolon)).trim();
                if (!hex.matches("[0-9A-Fa-f]{1,15}")) {
                    throw new IOException("bad chunk size in the engine's answer: " + Printable.of(size));
                }
                left = Long.parseLong(hex, 16);
                if (left == 0) {
                    for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
                        // Trailers carry nothing we use.
                    }
                    ended = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("the engine's answer ended inside a chunk");
            }
            left -= n;
            if (left == 0 && !line(in).isEmpty()) {
                throw new IOException("a chunk of the engine's answer does not end with CRLF");
            }
            return n;
        }
    }
}
